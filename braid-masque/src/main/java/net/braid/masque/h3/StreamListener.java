package net.braid.masque.h3;

import io.netty.buffer.ByteBuf;

/**
 * Receives what arrives on one request stream. Every method runs on the connection's event loop;
 * buffers are released after the method returns, so retain or copy what must outlive the call.
 */
public interface StreamListener {
    /** Payload of a DATA frame (for MASQUE: capsule bytes, which may span DATA frames; RFC 9297 §3.2). */
    default void onData(MasqueStream stream, ByteBuf data) {}

    /** An HTTP Datagram Payload routed to this stream by its quarter stream ID (RFC 9297 §2.1); HTTP/3 only. */
    default void onDatagram(MasqueStream stream, ByteBuf payload) {}

    /** The peer finished its side of the stream (FIN). */
    default void onInputClosed(MasqueStream stream) {}

    /**
     * The peer reset the stream with this error code, or -1 if unknown: HTTP/3's (RESET_STREAM,
     * RFC 9114 §8.1) or HTTP/2's (RST_STREAM, RFC 9113 §7), as the stream's version is.
     */
    default void onReset(MasqueStream stream, long errorCode) {}

    /** The stream is gone: finished both ways, reset, or its connection closed. */
    default void onClosed(MasqueStream stream) {}

    StreamListener NONE = new StreamListener() {};
}
