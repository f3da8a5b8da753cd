package net.braid.packet;

import java.nio.ByteBuffer;

/**
 * The fixed IPv6 header (RFC 8200 §3), read and written in place in a buffer at {@code off}.
 * Addresses are handled as two longs, high and low 64 bits, so route lookups never allocate.
 *
 * <pre>
 *  0-3   version(4) traffic class(8) flow label(20)
 *  4-5   payload length   6 next header   7 hop limit
 *  8-23  source address   24-39 destination address
 * </pre>
 */
public final class Ipv6Header {
    public static final int LENGTH = 40;

    private Ipv6Header() {}

    public static int version(ByteBuffer b, int off) {
        return NetworkOrder.u8(b, off) >>> 4;
    }

    public static int trafficClass(ByteBuffer b, int off) {
        return NetworkOrder.i32(b, off) >>> 20 & 0xFF;
    }

    public static int flowLabel(ByteBuffer b, int off) {
        return NetworkOrder.i32(b, off) & 0xF_FFFF;
    }

    /** Length of everything after the fixed header, extension headers included. */
    public static int payloadLength(ByteBuffer b, int off) {
        return NetworkOrder.u16(b, off + 4);
    }

    public static int nextHeader(ByteBuffer b, int off) {
        return NetworkOrder.u8(b, off + 6);
    }

    public static int hopLimit(ByteBuffer b, int off) {
        return NetworkOrder.u8(b, off + 7);
    }

    public static long srcHi(ByteBuffer b, int off) {
        return NetworkOrder.i64(b, off + 8);
    }

    public static long srcLo(ByteBuffer b, int off) {
        return NetworkOrder.i64(b, off + 16);
    }

    public static long dstHi(ByteBuffer b, int off) {
        return NetworkOrder.i64(b, off + 24);
    }

    public static long dstLo(ByteBuffer b, int off) {
        return NetworkOrder.i64(b, off + 32);
    }

    /** Copies the 16-byte source address into {@code out} at {@code outOff}. */
    public static void src(ByteBuffer b, int off, byte[] out, int outOff) {
        b.get(off + 8, out, outOff, 16);
    }

    public static void dst(ByteBuffer b, int off, byte[] out, int outOff) {
        b.get(off + 24, out, outOff, 16);
    }

    public static void setPayloadLength(ByteBuffer b, int off, int length) {
        NetworkOrder.put16(b, off + 4, length);
    }

    public static void setNextHeader(ByteBuffer b, int off, int nextHeader) {
        NetworkOrder.put8(b, off + 6, nextHeader);
    }

    public static void setHopLimit(ByteBuffer b, int off, int hopLimit) {
        NetworkOrder.put8(b, off + 7, hopLimit);
    }

    public static void setSrc(ByteBuffer b, int off, long hi, long lo) {
        NetworkOrder.put64(b, off + 8, hi);
        NetworkOrder.put64(b, off + 16, lo);
    }

    public static void setDst(ByteBuffer b, int off, long hi, long lo) {
        NetworkOrder.put64(b, off + 24, hi);
        NetworkOrder.put64(b, off + 32, lo);
    }

    /**
     * Rewrites the source address NAT66-style and patches incrementally the TCP, UDP or ICMPv6
     * checksum, whose pseudo-header covers it, when this packet carries that header.
     * {@code len} is the packet's length; the packet must have passed {@link #validate}.
     */
    public static void rewriteSrc(ByteBuffer b, int off, int len, long hi, long lo) {
        long oldHi = srcHi(b, off);
        long oldLo = srcLo(b, off);
        setSrc(b, off, hi, lo);
        addressChanged(b, off, len, oldHi, oldLo, hi, lo);
    }

    /** As {@link #rewriteSrc} for the destination address. */
    public static void rewriteDst(ByteBuffer b, int off, int len, long hi, long lo) {
        long oldHi = dstHi(b, off);
        long oldLo = dstLo(b, off);
        setDst(b, off, hi, lo);
        addressChanged(b, off, len, oldHi, oldLo, hi, lo);
    }

    private static void addressChanged(ByteBuffer b, int off, int len, long oldHi, long oldLo, long hi, long lo) {
        long ul = Ipv6ExtensionHeaders.walk(b, off, len);
        if (UpperLayer.failed(ul) || UpperLayer.isLaterFragment(ul)) return;
        int l4 = UpperLayer.offset(ul);
        int l4Len = off + LENGTH + payloadLength(b, off) - l4;
        int protocol = UpperLayer.protocol(ul);
        TransportChecksum.addressChanged(b, protocol, l4, l4Len, oldHi, hi);
        TransportChecksum.addressChanged(b, protocol, l4, l4Len, oldLo, lo);
    }

    /** Decrements the hop limit (no header checksum in IPv6) and returns the new value; 0 stays 0. */
    public static int decrementHopLimit(ByteBuffer b, int off) {
        int h = hopLimit(b, off);
        if (h == 0) return 0;
        setHopLimit(b, off, h - 1);
        return h - 1;
    }

    /**
     * Checks that {@code len} bytes at {@code off} hold a well-formed fixed header whose
     * payload length fits the buffer. Bytes past the payload are allowed. Extension headers
     * are checked by {@link Ipv6ExtensionHeaders#walk}.
     */
    public static DropReason validate(ByteBuffer b, int off, int len) {
        if (len <= 0) return DropReason.EMPTY;
        if (version(b, off) != 6) return DropReason.UNKNOWN_VERSION;
        if (len < LENGTH) return DropReason.TRUNCATED_HEADER;
        if (LENGTH + payloadLength(b, off) > len) return DropReason.BAD_TOTAL_LENGTH;
        return DropReason.NONE;
    }

    /** Writes the 40-byte fixed header and returns its length. */
    public static int write(ByteBuffer b, int off, int trafficClass, int flowLabel, int payloadLength,
                            int nextHeader, int hopLimit, long srcHi, long srcLo, long dstHi, long dstLo) {
        NetworkOrder.put32(b, off, 6 << 28 | (trafficClass & 0xFF) << 20 | flowLabel & 0xF_FFFF);
        NetworkOrder.put16(b, off + 4, payloadLength);
        NetworkOrder.put8(b, off + 6, nextHeader);
        NetworkOrder.put8(b, off + 7, hopLimit);
        setSrc(b, off, srcHi, srcLo);
        setDst(b, off, dstHi, dstLo);
        return LENGTH;
    }
}
