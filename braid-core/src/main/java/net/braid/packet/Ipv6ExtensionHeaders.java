package net.braid.packet;

import java.nio.ByteBuffer;

/**
 * Walks the IPv6 extension header chain (RFC 8200 §4) to the upper-layer header.
 *
 * <p>Hop-by-Hop (only directly after the fixed header, §4.1), Routing and Destination Options
 * headers are skipped by their Hdr Ext Len (8-octet units, not counting the first 8); a Fragment
 * header is 8 bytes (§4.5); an Authentication Header counts 4-octet units minus 2 (RFC 4302 §2.2).
 * ESP, No Next Header and anything else end the walk as the upper layer.
 */
public final class Ipv6ExtensionHeaders {
    /** More extension headers than this is refused; real packets carry a handful. */
    public static final int MAX_HEADERS = 16;

    private Ipv6ExtensionHeaders() {}

    /**
     * Finds the upper layer of the IPv6 packet at {@code off}, which must have passed
     * {@link Ipv6Header#validate}; {@code len} is ignored past the payload length. Returns a
     * value read with {@link UpperLayer}. Never throws on malformed chains.
     */
    public static long walk(ByteBuffer b, int off, int len) {
        if (len < Ipv6Header.LENGTH) return UpperLayer.failure(DropReason.TRUNCATED_HEADER);
        int end = off + Math.min(len, Ipv6Header.LENGTH + Ipv6Header.payloadLength(b, off));
        int next = Ipv6Header.nextHeader(b, off);
        int p = off + Ipv6Header.LENGTH;
        boolean fragment = false;
        boolean later = false;
        for (int count = 0; ; count++) {
            int size;
            switch (next) {
                case IpProtocol.HOP_BY_HOP, IpProtocol.IPV6_ROUTING, IpProtocol.IPV6_DESTINATION_OPTIONS -> {
                    if (next == IpProtocol.HOP_BY_HOP && count != 0) return UpperLayer.failure(DropReason.BAD_EXTENSION);
                    if (p + 2 > end) return UpperLayer.failure(DropReason.BAD_EXTENSION);
                    size = (NetworkOrder.u8(b, p + 1) + 1) * 8;
                }
                case IpProtocol.IPV6_FRAGMENT -> {
                    if (p + 8 > end) return UpperLayer.failure(DropReason.BAD_EXTENSION);
                    int word = NetworkOrder.u16(b, p + 2);
                    fragment = true;
                    // RFC 8200 §4.5: offset in 8-octet units (13 bits), then 2 reserved bits and M.
                    if ((word & 0xFFF8) != 0) later = true;
                    size = 8;
                }
                case IpProtocol.AH -> {
                    if (p + 2 > end) return UpperLayer.failure(DropReason.BAD_EXTENSION);
                    size = (NetworkOrder.u8(b, p + 1) + 2) * 4;
                }
                default -> {
                    return UpperLayer.found(next, p, fragment, later);
                }
            }
            if (count >= MAX_HEADERS) return UpperLayer.failure(DropReason.TOO_MANY_EXTENSIONS);
            if (size > end - p) return UpperLayer.failure(DropReason.BAD_EXTENSION);
            next = NetworkOrder.u8(b, p);
            p += size;
            // The headers after a later fragment belong to the reassembled packet, not this one.
            if (later) return UpperLayer.found(next, p, true, true);
        }
    }
}
