package net.braid.masque.h2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import net.braid.masque.h3.MasqueStream;
import net.braid.masque.h3.SendOutcome;
import net.braid.masque.h3.StreamListener;

/**
 * One HTTP/2 request stream (RFC 9113 §5) carrying a MASQUE session: on the server the stream a
 * request arrived on, on the client one it opened. There are no HTTP Datagrams beside it; DATAGRAM
 * capsules in DATA frames carry them (RFC 9297 §3.5). Writes may come from any thread.
 */
public final class H2Stream implements MasqueStream {
    /** RFC 9114 §8.1 and RFC 9297 §5.2 codes that {@link #abort} translates. */
    private static final long H3_NO_ERROR = 0x100, H3_INTERNAL_ERROR = 0x102, H3_REQUEST_CANCELLED = 0x10c,
            H3_CONNECT_ERROR = 0x10f;

    private final H2Connection connection;
    private final Http2StreamChannel channel;
    private final FrameQueue out;
    private final CompletableFuture<Http2Headers> response = new CompletableFuture<>();
    private volatile StreamListener listener;

    H2Stream(H2Connection connection, Http2StreamChannel channel, StreamListener listener) {
        this.connection = connection;
        this.channel = channel;
        this.out = new FrameQueue(channel);
        this.listener = listener;
    }

    @Override
    public long streamId() {
        return channel.stream().id();
    }

    @Override
    public H2Connection connection() {
        return connection;
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public CompletableFuture<Http2Headers> response() {
        return response;
    }

    @Override
    public ChannelFuture respond(int status, Map<String, String> fields) {
        Http2Headers headers = new DefaultHttp2Headers().status(Integer.toString(status));
        fields.forEach(headers::add);
        return out.write(new DefaultHttp2HeadersFrame(headers));
    }

    /**
     * Sends bytes as DATA (RFC 9113 §6.1), split to the peer's frame size by Netty; takes ownership
     * of {@code data}. Writes queue in call order and go out together, one flush per batch.
     */
    @Override
    public ChannelFuture write(ByteBuf data) {
        return out.write(new DefaultHttp2DataFrame(data));
    }

    /** Always {@link SendOutcome#NOT_NEGOTIATED}: HTTP/2 has no datagram frames; write a DATAGRAM capsule instead. */
    @Override
    public SendOutcome sendDatagram(long contextId, ByteBuf payload) {
        payload.release();
        return SendOutcome.NOT_NEGOTIATED;
    }

    @Override
    public boolean datagramsNegotiated() {
        return false;
    }

    @Override
    public int maxDatagramPayload(long contextId) {
        return -1;
    }

    /**
     * Whether DATA still waiting to go out (queued, held by flow control or by a full connection)
     * is below {@link H2Transport#STREAM_SEND_BUFFER}; callers refuse packets beyond it.
     */
    @Override
    public boolean isWritable() {
        return out.isWritable();
    }

    /** While paused, unread DATA is not acknowledged with WINDOW_UPDATE, so HTTP/2 flow control holds the peer back. */
    @Override
    public void readPaused(boolean paused) {
        channel.config().setAutoRead(!paused);
    }

    @Override
    public ChannelFuture abort(long h3ErrorCode) {
        ChannelFuture reset = out.write(new DefaultHttp2ResetFrame(resetCode(h3ErrorCode)));
        out.close();
        return reset;
    }

    /**
     * The RST_STREAM code for an HTTP/3 one: a failed CONNECT target is CONNECT_ERROR (RFC 9113
     * §8.5), a malformed message or capsule PROTOCOL_ERROR (RFC 9113 §8.1.1, RFC 9297 §3.3).
     */
    static Http2Error resetCode(long h3ErrorCode) {
        if (h3ErrorCode == H3_CONNECT_ERROR) return Http2Error.CONNECT_ERROR;
        if (h3ErrorCode == H3_NO_ERROR || h3ErrorCode == H3_REQUEST_CANCELLED) return Http2Error.CANCEL;
        if (h3ErrorCode == H3_INTERNAL_ERROR) return Http2Error.INTERNAL_ERROR;
        return Http2Error.PROTOCOL_ERROR;
    }

    /** Ends this side with an empty DATA frame carrying END_STREAM, queued behind every DATA written before. */
    @Override
    public ChannelFuture finish() {
        return out.write(new DefaultHttp2DataFrame(true));
    }

    /** Closes the stream both ways (RST_STREAM CANCEL if it was still open), after everything written before. */
    @Override
    public ChannelFuture close() {
        return out.close();
    }

    @Override
    public void listen(StreamListener listener) {
        this.listener = listener == null ? StreamListener.NONE : listener;
    }

    StreamListener listener() {
        return listener;
    }

    @Override
    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public String toString() {
        return "H2Stream[" + streamId() + " on " + channel.parent() + "]";
    }
}
