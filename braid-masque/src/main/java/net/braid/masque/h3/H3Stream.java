package net.braid.masque.h3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import net.braid.masque.codec.HttpDatagram;

/**
 * One HTTP/3 request stream with its HTTP Datagrams (RFC 9297): on the server the stream a request
 * arrived on, on the client one it opened. Writes may come from any thread; Netty moves them to the
 * connection's event loop.
 */
public final class H3Stream implements MasqueStream {
    private final H3Connection connection;
    private final QuicStreamChannel channel;
    private final long quarterStreamId;
    private final CompletableFuture<Http3Headers> response = new CompletableFuture<>();
    private volatile StreamListener listener;
    private volatile ChannelFuture lastWrite;

    H3Stream(H3Connection connection, QuicStreamChannel channel, StreamListener listener) {
        this.connection = connection;
        this.channel = channel;
        this.quarterStreamId = QuarterStreamId.of(channel.streamId());
        this.listener = listener;
    }

    @Override
    public long streamId() {
        return channel.streamId();
    }

    /** The stream ID divided by four: the prefix of this stream's HTTP Datagrams (RFC 9297 §2.1). */
    public long quarterStreamId() {
        return quarterStreamId;
    }

    @Override
    public H3Connection connection() {
        return connection;
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    /** Client side: the final (non-1xx) response HEADERS; fails if the stream closes before them. */
    @Override
    public CompletableFuture<Http3Headers> response() {
        return response;
    }

    /** Server side: answers with {@code status} and these fields, leaving the stream open for DATA. */
    @Override
    public ChannelFuture respond(int status, Map<String, String> fields) {
        Http3Headers headers = new DefaultHttp3Headers().status(Integer.toString(status));
        fields.forEach(headers::add);
        return respond(headers);
    }

    /** Server side: sends these response HEADERS (they must carry :status). */
    public ChannelFuture respond(Http3Headers headers) {
        if (headers.status() == null) throw new IllegalArgumentException("a response needs :status");
        return lastWrite = channel.writeAndFlush(new DefaultHttp3HeadersFrame(headers));
    }

    /** Sends bytes as one DATA frame (RFC 9114 §7.2.1); takes ownership of {@code data}. */
    @Override
    public ChannelFuture write(ByteBuf data) {
        return lastWrite = channel.writeAndFlush(new DefaultHttp3DataFrame(data));
    }

    /** Sends an HTTP Datagram for this stream; takes ownership of {@code payload}. See {@link DatagramSender}. */
    public SendOutcome sendDatagram(ByteBuf payload) {
        if (!channel.isActive()) {
            payload.release();
            connection.datagrams().refusedOther.increment();
            return SendOutcome.CLOSED;
        }
        return connection.datagrams().send(quarterStreamId, payload);
    }

    /**
     * Sends an HTTP Datagram whose payload is {@code contextId} then {@code payload} (RFC 9298 §5,
     * RFC 9484 §6), copied once into the frame; takes ownership of {@code payload}.
     */
    @Override
    public SendOutcome sendDatagram(long contextId, ByteBuf payload) {
        if (contextId < 0) throw new IllegalArgumentException("negative context ID " + contextId);
        if (!channel.isActive()) {
            payload.release();
            connection.datagrams().refusedOther.increment();
            return SendOutcome.CLOSED;
        }
        return connection.datagrams().send(quarterStreamId, contextId, payload);
    }

    /** Whether QUIC flow control and the stream's send buffer take more DATA now without queueing. */
    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    /**
     * Stops or resumes reading this stream. While stopped, unread bytes stay in QUIC's receive buffer
     * and its flow control holds the peer back: the way to apply back-pressure to a relayed stream.
     */
    @Override
    public void readPaused(boolean paused) {
        channel.config().setAutoRead(!paused);
    }

    /**
     * Aborts the stream both ways with this HTTP/3 error code (RESET_STREAM and STOP_SENDING,
     * RFC 9114 §4.1.1), e.g. H3_DATAGRAM_ERROR for a malformed capsule (RFC 9297 §3.3), then closes it.
     */
    @Override
    public ChannelFuture abort(long h3ErrorCode) {
        if (h3ErrorCode < 0 || h3ErrorCode > Integer.MAX_VALUE) throw new IllegalArgumentException("error code " + h3ErrorCode);
        return channel.shutdown((int) h3ErrorCode).addListener(f -> channel.close());
    }

    /**
     * Ends this side of the stream (FIN) after everything written before; the peer may go on sending.
     *
     * <p>Why it waits for the last write: Netty's QuicStreamChannel.shutdownOutput hands the FIN to
     * quiche at once, ahead of DATA still queued for want of flow-control credit, which truncates
     * the stream. Writes complete in order, so once the last one has, the queue is empty.
     */
    @Override
    public ChannelFuture finish() {
        ChannelFuture last = lastWrite;
        if (last == null || last.isDone()) return channel.shutdownOutput();
        var promise = channel.newPromise();
        last.addListener(f -> channel.shutdownOutput(promise));
        return promise;
    }

    /** Closes the stream both ways. */
    @Override
    public ChannelFuture close() {
        return channel.close();
    }

    /** Replaces the listener, e.g. once a server has decided what a stream is for. */
    @Override
    public void listen(StreamListener listener) {
        this.listener = listener == null ? StreamListener.NONE : listener;
    }

    @Override
    public boolean datagramsNegotiated() {
        return connection.datagramsNegotiated();
    }

    @Override
    public int maxDatagramPayload(long contextId) {
        if (!connection.datagramsNegotiated()) return -1;
        return connection.maxDatagramAtHandshake() - HttpDatagram.quicHeaderLength(quarterStreamId, contextId);
    }

    @Override
    public ByteBufAllocator alloc() {
        return connection.quic().alloc();
    }

    @Override
    public EventLoop eventLoop() {
        return connection.quic().eventLoop();
    }

    StreamListener listener() {
        return listener;
    }

    QuicStreamChannel channel() {
        return channel;
    }

    @Override
    public String toString() {
        return "H3Stream[" + channel.streamId() + " on " + channel.parent() + "]";
    }
}
