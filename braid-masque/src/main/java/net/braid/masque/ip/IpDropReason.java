package net.braid.masque.ip;

/** Why the proxy did not forward an IP packet; each is counted in {@link IpProxyCounters}. */
public enum IpDropReason {
    /** From a client: the IP header does not validate (braid-core's {@code IpPacket.validate}). */
    INVALID_PACKET,
    /** From a client: an HTTP Datagram whose Context ID is not 0 or is truncated (RFC 9484 §6). */
    UNKNOWN_CONTEXT,
    /** From a client: the source is not among the session's assigned addresses (RFC 9484 §4.8, §8). */
    SPOOFED_SOURCE,
    /** From a client: destination or IP protocol outside the session's scope (RFC 9484 §4.8). */
    OUT_OF_SCOPE,
    /** From a client: TTL or hop limit expired here; answered with ICMP Time Exceeded when allowed. */
    TTL_EXPIRED,
    /** From a client: larger than the egress MTU; answered with Packet Too Big / Fragmentation Needed (RFC 9484 §10.1). */
    TOO_BIG,
    /** From a client: the egress refused the packet (its queue is full). */
    EGRESS_FULL,
    /** From the egress: the IP header does not validate. */
    INVALID_FROM_EGRESS,
    /** From the egress: no session owns the destination address. */
    NO_SESSION,
    /** From the egress: the source lies outside the owning session's scope (RFC 9484 §4.8). */
    OUTSIDE_SCOPE_FROM_EGRESS,
    /** Towards a client: the QUIC datagram queue or the request stream was full, or the stream closed. */
    CLIENT_QUEUE_FULL
}
