package net.braid.packet;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * The source and destination of a packet to build: made once per flow, so builders that take
 * one write whole packets without allocating.
 */
public sealed interface AddressPair {

    /** Length of the IP header {@link #writeHeader} writes. */
    int headerLength();

    /** The IP protocol number ICMP uses with this IP version. */
    int icmpProtocol();

    /** The same pair, source and destination swapped (for replies). */
    AddressPair reversed();

    /**
     * Writes an IP header without options or extension headers for an upper-layer packet of
     * {@code payloadLength} bytes, and returns the header length. IPv4 headers set Don't
     * Fragment and identification 0, which RFC 6864 §4.1 allows for atomic datagrams.
     */
    int writeHeader(ByteBuffer b, int off, int protocol, int payloadLength, int ttl);

    static AddressPair of(InetAddress src, InetAddress dst) {
        if (src instanceof Inet4Address && dst instanceof Inet4Address) {
            return new V4(ByteBuffer.wrap(src.getAddress()).getInt(), ByteBuffer.wrap(dst.getAddress()).getInt());
        }
        if (src instanceof Inet6Address && dst instanceof Inet6Address) {
            ByteBuffer s = ByteBuffer.wrap(src.getAddress());
            ByteBuffer d = ByteBuffer.wrap(dst.getAddress());
            return new V6(s.getLong(0), s.getLong(8), d.getLong(0), d.getLong(8));
        }
        throw new IllegalArgumentException("mixed address families: " + src + ", " + dst);
    }

    /** Parses two literal addresses (no name lookup), e.g. {@code of("198.18.0.1", "198.18.0.2")}. */
    static AddressPair of(String src, String dst) {
        return of(literal(src), literal(dst));
    }

    private static InetAddress literal(String s) {
        if (!s.contains(":") && !s.matches("[0-9.]+")) throw new IllegalArgumentException("not an address literal: " + s);
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    record V4(int src, int dst) implements AddressPair {
        @Override public int headerLength() { return Ipv4Header.MIN_LENGTH; }

        @Override public int icmpProtocol() { return IpProtocol.ICMP; }

        @Override public V4 reversed() { return new V4(dst, src); }

        @Override
        public int writeHeader(ByteBuffer b, int off, int protocol, int payloadLength, int ttl) {
            return Ipv4Header.write(b, off, 0, Ipv4Header.MIN_LENGTH + payloadLength, 0,
                    Ipv4Header.DONT_FRAGMENT, ttl, protocol, src, dst);
        }
    }

    record V6(long srcHi, long srcLo, long dstHi, long dstLo) implements AddressPair {
        @Override public int headerLength() { return Ipv6Header.LENGTH; }

        @Override public int icmpProtocol() { return IpProtocol.ICMPV6; }

        @Override public V6 reversed() { return new V6(dstHi, dstLo, srcHi, srcLo); }

        @Override
        public int writeHeader(ByteBuffer b, int off, int protocol, int payloadLength, int ttl) {
            return Ipv6Header.write(b, off, 0, 0, payloadLength, protocol, ttl, srcHi, srcLo, dstHi, dstLo);
        }
    }
}
