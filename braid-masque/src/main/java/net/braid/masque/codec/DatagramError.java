package net.braid.masque.codec;

/** Why an HTTP Datagram could not be decoded, and what RFC 9297 tells the receiver to do. */
public enum DatagramError {
    /** The QUIC DATAGRAM frame payload ends inside the Quarter Stream ID (RFC 9297 §2.1). */
    TRUNCATED_QUARTER_STREAM_ID("QUIC DATAGRAM payload ends inside the Quarter Stream ID", true),
    /**
     * Quarter Stream ID above 2^60-1: RFC 9297 §2.1 makes this a connection error of type
     * H3_DATAGRAM_ERROR.
     */
    QUARTER_STREAM_ID_TOO_LARGE("Quarter Stream ID above 2^60-1", true),
    /**
     * The HTTP Datagram Payload ends inside the Context ID (RFC 9298 §5, RFC 9484 §6): the
     * datagram is dropped, the connection lives on.
     */
    TRUNCATED_CONTEXT_ID("HTTP Datagram Payload ends inside the Context ID", false);

    /** H3_DATAGRAM_ERROR (RFC 9297 §5.2): "Datagram or Capsule Protocol parse error". */
    public static final long H3_DATAGRAM_ERROR = 0x33;

    private final String reason;
    private final boolean connectionError;

    DatagramError(String reason, boolean connectionError) {
        this.reason = reason;
        this.connectionError = connectionError;
    }

    public String reason() {
        return reason;
    }

    /**
     * True when the receiver closes the HTTP/3 connection with {@link #H3_DATAGRAM_ERROR};
     * false when it only drops the datagram.
     */
    public boolean isConnectionError() {
        return connectionError;
    }
}
