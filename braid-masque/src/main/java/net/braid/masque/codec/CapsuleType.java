package net.braid.masque.codec;

/** Capsule Type values (IANA "HTTP Capsule Types" registry) that braid understands. */
public final class CapsuleType {

    /** DATAGRAM: carries an HTTP Datagram Payload on the request stream (RFC 9297 §3.5). */
    public static final long DATAGRAM = 0x00;
    /** ADDRESS_ASSIGN (RFC 9484 §4.7.1). */
    public static final long ADDRESS_ASSIGN = 0x01;
    /** ADDRESS_REQUEST (RFC 9484 §4.7.2). */
    public static final long ADDRESS_REQUEST = 0x02;
    /** ROUTE_ADVERTISEMENT (RFC 9484 §4.7.3). */
    public static final long ROUTE_ADVERTISEMENT = 0x03;

    private CapsuleType() {}

    /** True for the types this package decodes; every other type is skipped (RFC 9297 §3.2). */
    public static boolean isKnown(long type) {
        return type >= DATAGRAM && type <= ROUTE_ADVERTISEMENT;
    }

    /**
     * True for the reserved types 0x29 * N + 0x17 that exercise the rule that unknown types are
     * ignored (RFC 9297 §5.4); a sender may emit them as greasing.
     */
    public static boolean isReserved(long type) {
        return type >= 0x17 && type <= QuicVarint.MAX && (type - 0x17) % 0x29 == 0;
    }

    /** The registry name of a known type, else its hex value. */
    public static String name(long type) {
        if (type == DATAGRAM) return "DATAGRAM";
        if (type == ADDRESS_ASSIGN) return "ADDRESS_ASSIGN";
        if (type == ADDRESS_REQUEST) return "ADDRESS_REQUEST";
        if (type == ROUTE_ADVERTISEMENT) return "ROUTE_ADVERTISEMENT";
        return "0x" + Long.toHexString(type);
    }
}
