package net.braid.packet;

/**
 * Why a packet was refused by validation; {@link #NONE} means it is well formed. Returned (never
 * thrown) on the per-packet path, so counting drops by reason costs no allocation.
 */
public enum DropReason {
    NONE,
    /** No bytes at all. */
    EMPTY,
    /** The version nibble is neither 4 nor 6. */
    UNKNOWN_VERSION,
    /** Fewer bytes than the fixed header of the layer being read. */
    TRUNCATED_HEADER,
    /** IPv4 IHL below 5 or past the packet; TCP data offset below 5 or past the segment. */
    BAD_HEADER_LENGTH,
    /** The length field claims more bytes than the buffer holds, or less than the header. */
    BAD_TOTAL_LENGTH,
    /** The IPv4 header checksum does not verify. */
    BAD_HEADER_CHECKSUM,
    /** A UDP, TCP or ICMP checksum does not verify. */
    BAD_CHECKSUM,
    /** An IPv6 extension header or a TCP option runs past its container or has an impossible length. */
    BAD_EXTENSION,
    /** More IPv6 extension headers than a sane packet carries (a cheap bound against crafted chains). */
    TOO_MANY_EXTENSIONS,
    /** A fragment after the first: the upper-layer header is not in this packet. */
    NON_FIRST_FRAGMENT,
    /** The upper-layer protocol is not the one the caller parses, or an ICMP type it does not expect. */
    UNEXPECTED_PROTOCOL
}
