package net.braid.masque.h3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.Headers;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One request stream that carries a MASQUE session, whichever HTTP version runs beneath it:
 * {@link H3Stream} on HTTP/3, {@code net.braid.masque.h2.H2Stream} on HTTP/2 (RFC 8441 extended
 * CONNECT, RFC 9113 §8.5 CONNECT). Handlers and clients written against this interface serve both;
 * on HTTP/2 there are no HTTP Datagrams beside the stream, so every one travels as a DATAGRAM
 * capsule in DATA (RFC 9297 §3.5). Writes may come from any thread.
 */
public interface MasqueStream {

    /** The stream's ID in its connection (RFC 9000 §2.1, RFC 9113 §5.1.1), or -1 before a client's HEADERS went out on HTTP/2. */
    long streamId();

    /** The connection the stream belongs to. */
    MasqueConnection connection();

    boolean isOpen();

    /** Client side: the final (non-1xx) response fields, :status included; fails if the stream closes before them. */
    CompletableFuture<? extends Headers<CharSequence, CharSequence, ?>> response();

    /** Server side: answers with {@code status} and these fields (lower-case names), leaving the stream open for DATA. */
    ChannelFuture respond(int status, Map<String, String> fields);

    /** Sends bytes as DATA; takes ownership of {@code data}. */
    ChannelFuture write(ByteBuf data);

    /**
     * Sends an HTTP Datagram with this context ID beside the stream; takes ownership of
     * {@code payload}. {@link SendOutcome#NOT_NEGOTIATED} where the version or the peer has none.
     */
    SendOutcome sendDatagram(long contextId, ByteBuf payload);

    /** Whether HTTP Datagrams can travel beside the stream; false means DATAGRAM capsules on it. */
    boolean datagramsNegotiated();

    /**
     * The largest payload after {@code contextId} that fits one HTTP Datagram beside the stream, or
     * -1 when {@link #datagramsNegotiated()} is false.
     */
    int maxDatagramPayload(long contextId);

    /** Whether the transport takes more DATA now without queueing (flow control and send buffer). */
    boolean isWritable();

    /** Stops or resumes reading; while stopped, flow control holds the peer back. */
    void readPaused(boolean paused);

    /**
     * Aborts the stream both ways with this HTTP/3 error code (RFC 9114 §8.1, RFC 9297 §5.2); HTTP/2
     * sends the nearest RST_STREAM code (RFC 9113 §7): H3_CONNECT_ERROR becomes CONNECT_ERROR,
     * message and capsule errors PROTOCOL_ERROR.
     */
    ChannelFuture abort(long h3ErrorCode);

    /** Ends this side of the stream after everything written before; the peer may go on sending. */
    ChannelFuture finish();

    /** Closes the stream both ways. */
    ChannelFuture close();

    /** Replaces the listener, e.g. once a server has decided what a stream is for. */
    void listen(StreamListener listener);

    /** The allocator of the stream's connection, for buffers written to it. */
    ByteBufAllocator alloc();

    /** The event loop every listener call runs on; sockets a handler opens for this stream belong there. */
    EventLoop eventLoop();
}
