package net.braid.packet;

import java.nio.ByteBuffer;

/**
 * What the tunnel's per-packet path asks of a whole IP packet, whichever the version. The
 * single-argument forms read the packet between the buffer's position and limit (the
 * {@code PacketDevice} convention); none allocate, and none move the position.
 */
public final class IpPacket {
    private IpPacket() {}

    /** 4, 6, or 0 for an empty buffer; any other nibble is returned as read. */
    public static int version(ByteBuffer b) {
        return b.hasRemaining() ? NetworkOrder.u8(b, b.position()) >>> 4 : 0;
    }

    public static DropReason validate(ByteBuffer b) {
        return validate(b, b.position(), b.remaining());
    }

    /**
     * Checks the IP header of the {@code len}-byte packet at {@code off}: for IPv4 the IHL, the
     * total length against {@code len} and the header checksum; for IPv6 the payload length
     * against {@code len}. Extension headers and the transport layer are checked by
     * {@link #validateTransport}. Never throws for any {@code off}, {@code len} inside the buffer.
     */
    public static DropReason validate(ByteBuffer b, int off, int len) {
        if (len <= 0) return DropReason.EMPTY;
        return switch (NetworkOrder.u8(b, off) >>> 4) {
            case 4 -> Ipv4Header.validate(b, off, len);
            case 6 -> Ipv6Header.validate(b, off, len);
            default -> DropReason.UNKNOWN_VERSION;
        };
    }

    /** The packet's length according to its header (IPv4 total length; IPv6 40 + payload length). Validated packets only. */
    public static int length(ByteBuffer b, int off) {
        return Ipv4Header.version(b, off) == 4 ? Ipv4Header.totalLength(b, off) : Ipv6Header.LENGTH + Ipv6Header.payloadLength(b, off);
    }

    /** The IPv4 destination for route lookup; the packet must be a validated IPv4 packet. */
    public static int ipv4Dst(ByteBuffer b) {
        return Ipv4Header.dst(b, b.position());
    }

    public static int ipv4Src(ByteBuffer b) {
        return Ipv4Header.src(b, b.position());
    }

    /** High 64 bits of the IPv6 destination; the packet must be a validated IPv6 packet. */
    public static long ipv6DstHi(ByteBuffer b) {
        return Ipv6Header.dstHi(b, b.position());
    }

    public static long ipv6DstLo(ByteBuffer b) {
        return Ipv6Header.dstLo(b, b.position());
    }

    public static long ipv6SrcHi(ByteBuffer b) {
        return Ipv6Header.srcHi(b, b.position());
    }

    public static long ipv6SrcLo(ByteBuffer b) {
        return Ipv6Header.srcLo(b, b.position());
    }

    /**
     * Finds the upper-layer header of a packet that passed {@link #validate}, as a value read
     * with {@link UpperLayer}: for IPv4 after the options, for IPv6 after the extension headers.
     */
    public static long upperLayer(ByteBuffer b, int off, int len) {
        if (Ipv4Header.version(b, off) == 4) {
            int fragmentOffset = Ipv4Header.fragmentOffset(b, off);
            return UpperLayer.found(Ipv4Header.protocol(b, off), off + Ipv4Header.headerLength(b, off),
                    Ipv4Header.isFragment(b, off), fragmentOffset != 0);
        }
        return Ipv6ExtensionHeaders.walk(b, off, len);
    }

    /**
     * Full validation down to the transport layer: {@link #validate}, the extension headers,
     * and for TCP, UDP, ICMP and ICMPv6 the header and checksum. Later fragments pass on the
     * IP checks alone; first fragments pass without the transport checksum, which covers
     * bytes that are not here. Other protocols pass on the IP checks.
     */
    public static DropReason validateTransport(ByteBuffer b, int off, int len) {
        DropReason r = validate(b, off, len);
        if (r != DropReason.NONE) return r;
        long ul = upperLayer(b, off, len);
        if (UpperLayer.failed(ul)) return UpperLayer.reason(ul);
        if (UpperLayer.isLaterFragment(ul)) return DropReason.NONE;
        int protocol = UpperLayer.protocol(ul);
        int l4 = UpperLayer.offset(ul);
        int l4Len = off + length(b, off) - l4;
        boolean whole = !UpperLayer.isFragment(ul);
        switch (protocol) {
            case IpProtocol.TCP -> r = TcpHeader.validate(b, l4, l4Len);
            case IpProtocol.UDP -> {
                r = UdpHeader.validate(b, l4, l4Len);
                // The UDP length may be shorter than what IP carries (RFC 768); the checksum covers only it.
                if (r == DropReason.NONE && whole) l4Len = UdpHeader.length(b, l4);
            }
            case IpProtocol.ICMP, IpProtocol.ICMPV6 -> {
                // ICMP of the other IP version is just an unknown protocol here.
                if (protocol != (Ipv4Header.version(b, off) == 4 ? IpProtocol.ICMP : IpProtocol.ICMPV6)) return DropReason.NONE;
                if (l4Len < IcmpHeader.LENGTH) r = DropReason.TRUNCATED_HEADER;
            }
            default -> { return DropReason.NONE; }
        }
        if (r != DropReason.NONE || !whole) return r;
        return TransportChecksum.valid(b, off, protocol, l4, l4Len) ? DropReason.NONE : DropReason.BAD_CHECKSUM;
    }

    /**
     * For the record parsers: validates the whole packet and returns its {@link UpperLayer},
     * which must be {@code protocol} and not a fragment.
     */
    static long requireTransport(ByteBuffer b, int off, int len, int protocol) throws MalformedPacketException {
        DropReason r = validateTransport(b, off, len);
        if (r != DropReason.NONE) throw new MalformedPacketException(r, "invalid packet");
        long ul = upperLayer(b, off, len);
        if (UpperLayer.protocol(ul) != protocol) {
            throw new MalformedPacketException(DropReason.UNEXPECTED_PROTOCOL, "protocol " + UpperLayer.protocol(ul));
        }
        if (UpperLayer.isFragment(ul)) throw new MalformedPacketException(DropReason.NON_FIRST_FRAGMENT, "fragments are not parsed");
        return ul;
    }

    /** The packet's addresses as a pair (allocates: for building replies, not for the per-packet path). */
    public static AddressPair addresses(ByteBuffer b, int off) {
        if (Ipv4Header.version(b, off) == 4) return new AddressPair.V4(Ipv4Header.src(b, off), Ipv4Header.dst(b, off));
        return new AddressPair.V6(Ipv6Header.srcHi(b, off), Ipv6Header.srcLo(b, off),
                Ipv6Header.dstHi(b, off), Ipv6Header.dstLo(b, off));
    }
}
