package net.braid.masque.codec;

/**
 * Why a capsule stream is malformed. Every one aborts the request stream: RFC 9297 §3.3 treats
 * a Capsule Protocol error as a malformed message, and RFC 9484 §4.7 says "abort the IP
 * proxying request stream" for each of its capsule rules. {@link #h3ErrorCode()} is the code to
 * reset the stream with.
 */
public enum CapsuleError {
    /** A capsule of a known type longer than the parser's configured maximum. */
    CAPSULE_TOO_LONG("capsule longer than the configured maximum"),
    /**
     * The stream ended cleanly inside a capsule: "MUST be treated as if it were a malformed or
     * incomplete message" (RFC 9297 §3.3), which HTTP/3 resets with H3_MESSAGE_ERROR (RFC 9114
     * §4.1.2).
     */
    TRUNCATED_STREAM("stream ended inside a capsule"),
    /** The capsule's Length ends inside a field of its value, or leaves a partial entry. */
    TRUNCATED_VALUE("capsule value ends inside a field"),
    /** IP Version neither 4 nor 6 (RFC 9484 §4.7.1, §4.7.2, §4.7.3). */
    UNKNOWN_IP_VERSION("IP Version must be 4 or 6"),
    /** IP Prefix Length above 32 or 128 (RFC 9484 §4.7.1, §4.7.2). */
    PREFIX_LENGTH_TOO_LONG("IP Prefix Length longer than the IP Address"),
    /** ADDRESS_REQUEST Request ID 0 (RFC 9484 §4.7.2). */
    ZERO_REQUEST_ID("ADDRESS_REQUEST Request ID must not be 0"),
    /** ADDRESS_REQUEST with no Requested Address (RFC 9484 §4.7.2). */
    EMPTY_ADDRESS_REQUEST("ADDRESS_REQUEST carries no Requested Address"),
    /** Start IP Address above End IP Address (RFC 9484 §4.7.3). */
    RANGE_START_AFTER_END("Start IP Address above End IP Address"),
    /**
     * Ranges not ordered by IP Version, then IP Protocol, then address with no overlap (RFC
     * 9484 §4.7.3).
     */
    RANGES_OUT_OF_ORDER("IP Address Ranges out of order or overlapping");

    /** H3_DATAGRAM_ERROR (RFC 9297 §5.2): "Datagram or Capsule Protocol parse error". */
    public static final long H3_DATAGRAM_ERROR = 0x33;
    /** H3_MESSAGE_ERROR (RFC 9114 §8.1): malformed message. */
    public static final long H3_MESSAGE_ERROR = 0x10e;

    private final String reason;

    CapsuleError(String reason) {
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    /** The HTTP/3 error code to abort the request stream with. */
    public long h3ErrorCode() {
        return this == TRUNCATED_STREAM ? H3_MESSAGE_ERROR : H3_DATAGRAM_ERROR;
    }
}
