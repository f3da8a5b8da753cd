package net.braid.masque.h3;

/** What became of one HTTP/3 datagram handed to {@link DatagramSender}. */
public enum SendOutcome {
    /** Handed to quiche; it may still be lost on the path, like any QUIC DATAGRAM (RFC 9221 §5). */
    SENT,
    /** Refused: quiche's send queue is (estimated) full, so Netty would have dropped it silently. Back off. */
    QUEUE_FULL,
    /**
     * Refused: quarter stream ID and payload exceed the largest DATAGRAM frame quiche can send on this
     * path ({@link H3Connection#maxDatagramAtHandshake()}); with quiche's default 1200-byte UDP
     * payload that is 1156 bytes.
     */
    TOO_LARGE,
    /** Refused: the peer's SETTINGS have not arrived, or lack SETTINGS_H3_DATAGRAM=1 or QUIC DATAGRAM support. */
    NOT_NEGOTIATED,
    /** Refused: the connection or stream is closed. */
    CLOSED
}
