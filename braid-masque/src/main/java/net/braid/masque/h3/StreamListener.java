package net.braid.masque.h3;

import io.netty.buffer.ByteBuf;

/**
 * Receives what arrives on one request stream. Every method runs on the connection's event loop;
 * buffers are released after the method returns, so retain or copy what must outlive the call.
 */
public interface StreamListener {
    /** Payload of a DATA frame (for MASQUE: capsule bytes, which may span DATA frames; RFC 9297 §3.2). */
    default void onData(H3Stream stream, ByteBuf data) {}

    /** An HTTP Datagram Payload routed to this stream by its quarter stream ID (RFC 9297 §2.1). */
    default void onDatagram(H3Stream stream, ByteBuf payload) {}

    /** The peer finished its side of the stream (FIN). */
    default void onInputClosed(H3Stream stream) {}

    /** The peer reset its side of the stream (RESET_STREAM) with this HTTP/3 error code, or -1 if unknown. */
    default void onReset(H3Stream stream, long errorCode) {}

    /** The stream is gone: finished both ways, reset, or its connection closed. */
    default void onClosed(H3Stream stream) {}

    StreamListener NONE = new StreamListener() {};
}
