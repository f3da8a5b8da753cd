package net.braid.masque.h3;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The end of a request stream's pipeline: turns HEADERS and DATA frames into calls on the stream's
 * {@link StreamListener}, and registers the stream for datagram routing while it lives. One
 * instance per stream.
 */
final class StreamFrames extends Http3RequestStreamInboundHandler {
    private static final Logger LOG = System.getLogger(StreamFrames.class.getName());

    private final H3Connection connection;
    private final RequestHandler server; // null on the client
    private final StreamListener clientListener;
    private H3Stream stream;
    private boolean headersSeen;

    private StreamFrames(H3Connection connection, RequestHandler server, StreamListener clientListener) {
        this.connection = connection;
        this.server = server;
        this.clientListener = clientListener;
    }

    static StreamFrames forServer(H3Connection connection, RequestHandler handler) {
        return new StreamFrames(connection, handler, null);
    }

    static StreamFrames forClient(H3Connection connection, StreamListener listener) {
        return new StreamFrames(connection, null, listener);
    }

    H3Stream stream() {
        return stream;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        stream = new H3Stream(connection, (QuicStreamChannel) ctx.channel(),
                server == null ? clientListener : StreamListener.NONE);
        connection.router().register(stream);
    }

    @Override
    protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
        var headers = frame.headers();
        if (server != null) {
            if (headersSeen) return; // trailers: MASQUE has no use for them
            headersSeen = true;
            StreamListener listener;
            try {
                listener = server.onRequest(RequestHead.of(headers), stream);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "request handler failed on " + stream, e);
                ctx.writeAndFlush(new DefaultHttp3HeadersFrame(new DefaultHttp3Headers().status("500")))
                        .addListener(f -> stream.finish());
                return;
            }
            stream.listen(listener);
        } else if (!stream.response().isDone()) {
            CharSequence status = headers.status();
            if (status != null && status.length() == 3 && status.charAt(0) == '1') return; // interim (RFC 9114 §4.1)
            stream.response().complete(headers);
        }
    }

    @Override
    protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
        try {
            stream.listener().onData(stream, frame.content());
        } finally {
            frame.release();
        }
    }

    @Override
    protected void channelInputClosed(ChannelHandlerContext ctx) {
        stream.listener().onInputClosed(stream);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        connection.router().unregister(stream);
        stream.response().completeExceptionally(new H3Exception(stream + " closed before a response"));
        stream.listener().onClosed(stream);
        super.channelInactive(ctx);
    }

    @Override
    protected void handleQuicException(ChannelHandlerContext ctx, io.netty.handler.codec.quic.QuicException e) {
        if (e instanceof io.netty.handler.codec.quic.QuicStreamResetException reset) {
            stream.response().completeExceptionally(new H3Exception(stream + " reset by the peer with error code 0x"
                    + Long.toHexString(reset.applicationProtocolCode()), e));
            stream.listener().onReset(stream, reset.applicationProtocolCode());
            return;
        }
        LOG.log(Level.DEBUG, "QUIC error on " + stream, e);
    }

    @Override
    protected void handleHttp3Exception(ChannelHandlerContext ctx, io.netty.handler.codec.http3.Http3Exception e) {
        LOG.log(Level.DEBUG, "HTTP/3 error on " + stream, e);
        stream.response().completeExceptionally(new H3Exception("HTTP/3 error on " + stream + ": " + e.getMessage(), e));
    }
}
