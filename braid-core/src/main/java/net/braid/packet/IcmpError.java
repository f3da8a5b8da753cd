package net.braid.packet;

import java.nio.ByteBuffer;

/**
 * Builds ICMP error messages that quote the packet that caused them: Destination Unreachable,
 * Fragmentation Needed and Time Exceeded for IPv4 (RFC 792, RFC 1191), Destination Unreachable,
 * Packet Too Big and Time Exceeded for IPv6 (RFC 4443 §3). The error goes back to the
 * offending packet's source. Writers allocate nothing and return the packet length.
 */
public final class IcmpError {
    /** RFC 1812 §4.3.2.3: quote as much as fits in a 576-byte datagram (RFC 792 asks only for header + 8). */
    public static final int V4_MAX_LENGTH = 576;
    /** RFC 4443 §2.4(c): as much as fits without exceeding the minimum IPv6 MTU. */
    public static final int V6_MAX_LENGTH = 1280;
    public static final int DEFAULT_TTL = 64;

    private IcmpError() {}

    /**
     * May an error be sent about the validated packet at {@code off}? Not about ICMP errors,
     * later fragments, or packets from unspecified, multicast or broadcast sources or to
     * multicast or broadcast destinations (RFC 1122 §3.2.2, RFC 1812 §4.3.2.7); for IPv6 the
     * same (RFC 4443 §2.4(e)), except that Packet Too Big is sent about multicast packets.
     */
    public static boolean mayAnswer(ByteBuffer b, int off, int len, boolean packetTooBig) {
        long ul = IpPacket.upperLayer(b, off, len);
        if (UpperLayer.failed(ul) || UpperLayer.isLaterFragment(ul)) return false;
        int proto = UpperLayer.protocol(ul);
        int l4 = UpperLayer.offset(ul);
        boolean hasType = l4 < off + IpPacket.length(b, off);
        if (Ipv4Header.version(b, off) == 4) {
            if (proto == IpProtocol.ICMP && (!hasType || IcmpHeader.isV4Error(IcmpHeader.type(b, l4)))) return false;
            int src = Ipv4Header.src(b, off);
            int dst = Ipv4Header.dst(b, off);
            return src != 0 && !multicastOrBroadcast(src) && !multicastOrBroadcast(dst);
        }
        if (proto == IpProtocol.ICMPV6 && (!hasType || IcmpHeader.isV6Error(IcmpHeader.type(b, l4)))) return false;
        long srcHi = Ipv6Header.srcHi(b, off);
        if ((srcHi >>> 56) == 0xFF || (srcHi == 0 && Ipv6Header.srcLo(b, off) == 0)) return false;
        return packetTooBig || (Ipv6Header.dstHi(b, off) >>> 56) != 0xFF;
    }

    private static boolean multicastOrBroadcast(int a) {
        return (a >>> 28) == 0xE || a == -1;
    }

    /** ICMPv4 Destination Unreachable with {@code code} ({@link IcmpHeader#V4_PORT_UNREACHABLE} etc.). */
    public static int destinationUnreachableV4(ByteBuffer out, int outOff, int from, int code, ByteBuffer offending, int off, int len) {
        return writeV4(out, outOff, from, IcmpHeader.V4_DESTINATION_UNREACHABLE, code, 0, offending, off, len);
    }

    /** ICMPv4 Fragmentation Needed and DF Set, carrying the next-hop MTU (RFC 1191 §4). */
    public static int fragmentationNeeded(ByteBuffer out, int outOff, int from, int mtu, ByteBuffer offending, int off, int len) {
        return writeV4(out, outOff, from, IcmpHeader.V4_DESTINATION_UNREACHABLE, IcmpHeader.V4_FRAGMENTATION_NEEDED,
                mtu & 0xFFFF, offending, off, len);
    }

    /** ICMPv4 Time Exceeded, TTL exceeded in transit. */
    public static int timeExceededV4(ByteBuffer out, int outOff, int from, ByteBuffer offending, int off, int len) {
        return writeV4(out, outOff, from, IcmpHeader.V4_TIME_EXCEEDED, IcmpHeader.V4_TTL_EXCEEDED, 0, offending, off, len);
    }

    /** ICMPv6 Destination Unreachable with {@code code} ({@link IcmpHeader#V6_PORT_UNREACHABLE} etc.). */
    public static int destinationUnreachableV6(ByteBuffer out, int outOff, long fromHi, long fromLo, int code,
                                               ByteBuffer offending, int off, int len) {
        return writeV6(out, outOff, fromHi, fromLo, IcmpHeader.V6_DESTINATION_UNREACHABLE, code, 0, offending, off, len);
    }

    /** ICMPv6 Packet Too Big with the MTU of the next hop (RFC 4443 §3.2). */
    public static int packetTooBig(ByteBuffer out, int outOff, long fromHi, long fromLo, int mtu,
                                   ByteBuffer offending, int off, int len) {
        return writeV6(out, outOff, fromHi, fromLo, IcmpHeader.V6_PACKET_TOO_BIG, 0, mtu, offending, off, len);
    }

    /** ICMPv6 Time Exceeded, hop limit exceeded in transit. */
    public static int timeExceededV6(ByteBuffer out, int outOff, long fromHi, long fromLo,
                                     ByteBuffer offending, int off, int len) {
        return writeV6(out, outOff, fromHi, fromLo, IcmpHeader.V6_TIME_EXCEEDED, IcmpHeader.V6_HOP_LIMIT_EXCEEDED, 0,
                offending, off, len);
    }

    /**
     * Any ICMPv4 error: IPv4 header from {@code from} to the offending packet's source, ICMP
     * header, then as much of the {@code len}-byte offending packet at {@code off} as fits in
     * {@link #V4_MAX_LENGTH}.
     */
    public static int writeV4(ByteBuffer out, int outOff, int from, int type, int code, int restOfHeader,
                              ByteBuffer offending, int off, int len) {
        int quote = Math.min(len, V4_MAX_LENGTH - Ipv4Header.MIN_LENGTH - IcmpHeader.LENGTH);
        int icmpLen = IcmpHeader.LENGTH + quote;
        int hl = Ipv4Header.write(out, outOff, 0, Ipv4Header.MIN_LENGTH + icmpLen, 0, Ipv4Header.DONT_FRAGMENT,
                DEFAULT_TTL, IpProtocol.ICMP, from, Ipv4Header.src(offending, off));
        int icmp = outOff + hl;
        IcmpHeader.write(out, icmp, type, code, restOfHeader);
        out.put(icmp + IcmpHeader.LENGTH, offending, off, quote);
        TransportChecksum.fill(out, outOff, IpProtocol.ICMP, icmp, icmpLen);
        return hl + icmpLen;
    }

    /** Any ICMPv6 error, quoting as much of the offending packet as fits in {@link #V6_MAX_LENGTH}. */
    public static int writeV6(ByteBuffer out, int outOff, long fromHi, long fromLo, int type, int code, int restOfHeader,
                              ByteBuffer offending, int off, int len) {
        int quote = Math.min(len, V6_MAX_LENGTH - Ipv6Header.LENGTH - IcmpHeader.LENGTH);
        int icmpLen = IcmpHeader.LENGTH + quote;
        int hl = Ipv6Header.write(out, outOff, 0, 0, icmpLen, IpProtocol.ICMPV6, DEFAULT_TTL, fromHi, fromLo,
                Ipv6Header.srcHi(offending, off), Ipv6Header.srcLo(offending, off));
        int icmp = outOff + hl;
        IcmpHeader.write(out, icmp, type, code, restOfHeader);
        out.put(icmp + IcmpHeader.LENGTH, offending, off, quote);
        TransportChecksum.fill(out, outOff, IpProtocol.ICMPV6, icmp, icmpLen);
        return hl + icmpLen;
    }
}
