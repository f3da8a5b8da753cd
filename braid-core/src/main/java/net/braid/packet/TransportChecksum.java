package net.braid.packet;

import java.nio.ByteBuffer;

/**
 * Checksums of the upper-layer protocols the codecs know: TCP (RFC 9293 §3.1), UDP (RFC 768,
 * RFC 8200 §8.1) and ICMPv6 (RFC 4443 §2.3) over their IP pseudo-header, and ICMPv4 (RFC 792)
 * over its own bytes only.
 */
public final class TransportChecksum {
    private TransportChecksum() {}

    /** Offset of the checksum field inside the upper-layer header, or -1 for a protocol without one we know. */
    public static int fieldOffset(int protocol) {
        return switch (protocol) {
            case IpProtocol.TCP -> 16;
            case IpProtocol.UDP -> 6;
            case IpProtocol.ICMP, IpProtocol.ICMPV6 -> 2;
            default -> -1;
        };
    }

    /** True if the protocol's checksum covers the IP pseudo-header. */
    public static boolean usesPseudoHeader(int protocol) {
        return protocol == IpProtocol.TCP || protocol == IpProtocol.UDP || protocol == IpProtocol.ICMPV6;
    }

    /**
     * Computes and stores the checksum of the {@code l4Len}-byte upper-layer packet at
     * {@code l4Off}, carried by the IP header at {@code ipOff}. A UDP checksum that comes out 0
     * is sent as 0xFFFF (RFC 768), since 0 means "none".
     */
    public static void fill(ByteBuffer b, int ipOff, int protocol, int l4Off, int l4Len) {
        int field = l4Off + fieldOffset(protocol);
        NetworkOrder.put16(b, field, 0);
        int c = InternetChecksum.finish(sumOf(b, ipOff, protocol, l4Off, l4Len));
        if (c == 0 && protocol == IpProtocol.UDP) c = 0xFFFF;
        NetworkOrder.put16(b, field, c);
    }

    /**
     * True if the stored checksum verifies. A zero UDP checksum over IPv4 means the sender
     * did not compute one and is accepted; over IPv6 it is invalid (RFC 8200 §8.1).
     */
    public static boolean valid(ByteBuffer b, int ipOff, int protocol, int l4Off, int l4Len) {
        if (protocol == IpProtocol.UDP && NetworkOrder.u16(b, l4Off + 6) == 0) {
            return NetworkOrder.u8(b, ipOff) >>> 4 == 4;
        }
        return sumOf(b, ipOff, protocol, l4Off, l4Len) == 0xFFFF;
    }

    private static int sumOf(ByteBuffer b, int ipOff, int protocol, int l4Off, int l4Len) {
        int s = InternetChecksum.sum(b, l4Off, l4Len);
        if (usesPseudoHeader(protocol)) s = InternetChecksum.add(s, InternetChecksum.pseudoHeader(b, ipOff, protocol, l4Len));
        return s;
    }

    /**
     * Patches the transport checksum after a 32-bit address in its pseudo-header changed from
     * {@code old} to {@code now} (IPv4 NAT). Leaves alone protocols without a pseudo-header,
     * segments too short to hold the field, and UDP datagrams sent without a checksum.
     */
    public static void addressChanged(ByteBuffer b, int protocol, int l4Off, int l4Len, int old, int now) {
        int field = fieldFor(b, protocol, l4Off, l4Len);
        if (field < 0) return;
        store(b, protocol, field, InternetChecksum.update32(NetworkOrder.u16(b, field), old, now));
    }

    /** As {@link #addressChanged(ByteBuffer, int, int, int, int, int)} for one 64-bit half of an IPv6 address. */
    public static void addressChanged(ByteBuffer b, int protocol, int l4Off, int l4Len, long old, long now) {
        int field = fieldFor(b, protocol, l4Off, l4Len);
        if (field < 0) return;
        store(b, protocol, field, InternetChecksum.update64(NetworkOrder.u16(b, field), old, now));
    }

    private static int fieldFor(ByteBuffer b, int protocol, int l4Off, int l4Len) {
        if (!usesPseudoHeader(protocol)) return -1;
        int rel = fieldOffset(protocol);
        if (l4Len < rel + 2) return -1;
        int field = l4Off + rel;
        if (protocol == IpProtocol.UDP && NetworkOrder.u16(b, field) == 0) return -1;
        return field;
    }

    private static void store(ByteBuffer b, int protocol, int field, int c) {
        if (c == 0 && protocol == IpProtocol.UDP) c = 0xFFFF;
        NetworkOrder.put16(b, field, c);
    }
}
