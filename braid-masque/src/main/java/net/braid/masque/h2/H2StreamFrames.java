package net.braid.masque.h2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import net.braid.masque.h3.RequestHandler;
import net.braid.masque.h3.RequestHead;
import net.braid.masque.h3.StreamListener;

/**
 * The end of an HTTP/2 stream channel's pipeline: turns HEADERS, DATA and RST_STREAM into calls on
 * the stream's {@link StreamListener}, END_STREAM into {@link StreamListener#onInputClosed}. One
 * instance per stream.
 */
final class H2StreamFrames extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = System.getLogger(H2StreamFrames.class.getName());

    private final H2Connection connection;
    private final RequestHandler server; // null on the client
    private final StreamListener clientListener;
    private H2Stream stream;
    private boolean headersSeen;
    private boolean inputClosed;

    private H2StreamFrames(H2Connection connection, RequestHandler server, StreamListener clientListener) {
        this.connection = connection;
        this.server = server;
        this.clientListener = clientListener;
    }

    static H2StreamFrames forServer(H2Connection connection, RequestHandler handler) {
        return new H2StreamFrames(connection, handler, null);
    }

    static H2StreamFrames forClient(H2Connection connection, StreamListener listener) {
        return new H2StreamFrames(connection, null, listener);
    }

    H2Stream stream() {
        return stream;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().config().setWriteBufferWaterMark(H2Transport.streamWaterMark());
        stream = new H2Stream(connection, (Http2StreamChannel) ctx.channel(),
                server == null ? clientListener : StreamListener.NONE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            switch (msg) {
                case Http2HeadersFrame headers -> {
                    onHeaders(ctx, headers);
                    if (headers.isEndStream()) inputClosed();
                }
                case Http2DataFrame data -> {
                    if (data.content().isReadable()) stream.listener().onData(stream, data.content());
                    if (data.isEndStream()) inputClosed();
                }
                default -> { /* WINDOW_UPDATE and PRIORITY never reach a stream channel; nothing else matters here */ }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHeaders(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
        if (server != null) {
            if (headersSeen) return; // trailers: MASQUE has no use for them
            headersSeen = true;
            StreamListener listener;
            try {
                listener = server.onRequest(RequestHead.of(FieldSections.toHttp3(frame.headers())), stream);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "request handler failed on " + stream, e);
                ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("500"), true));
                return;
            }
            stream.listen(listener);
        } else if (!stream.response().isDone()) {
            CharSequence status = frame.headers().status();
            if (status != null && status.length() == 3 && status.charAt(0) == '1') return; // interim (RFC 9113 §8.1)
            stream.response().complete(frame.headers());
        }
    }

    private void inputClosed() {
        if (inputClosed) return;
        inputClosed = true;
        stream.listener().onInputClosed(stream);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof Http2ResetFrame reset) {
            stream.response().completeExceptionally(new H2Exception(stream + " reset by the peer with error code 0x"
                    + Long.toHexString(reset.errorCode())));
            stream.listener().onReset(stream, reset.errorCode());
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stream.response().completeExceptionally(new H2Exception(stream + " closed before a response"));
        stream.listener().onClosed(stream);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Stream errors close the stream channel themselves (RST_STREAM sent), which onClosed reports.
        LOG.log(Level.DEBUG, "HTTP/2 error on " + stream, cause);
        stream.response().completeExceptionally(new H2Exception("HTTP/2 error on " + stream + ": " + cause.getMessage(), cause));
    }
}
