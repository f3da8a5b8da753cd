package net.braid.packet;

import java.nio.ByteBuffer;

/**
 * The IPv4 header (RFC 791 §3.1), read and written in place in a buffer at {@code off}.
 *
 * <pre>
 *  0      version(4) IHL(4)   1  DSCP(6) ECN(2)   2-3  total length
 *  4-5    identification      6-7 flags(3) fragment offset(13)
 *  8      TTL                 9  protocol          10-11 header checksum
 *  12-15  source address      16-19 destination address   20.. options
 * </pre>
 *
 * Readers assume the header was accepted by {@link #validate}; none allocate.
 */
public final class Ipv4Header {
    public static final int MIN_LENGTH = 20;
    /** Flag bits in the 16-bit word at offset 6 (RFC 791 §3.1 "Flags"). */
    public static final int DONT_FRAGMENT = 0x4000;
    public static final int MORE_FRAGMENTS = 0x2000;
    private static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    private Ipv4Header() {}

    public static int version(ByteBuffer b, int off) {
        return NetworkOrder.u8(b, off) >>> 4;
    }

    /** Header length in bytes (IHL × 4). */
    public static int headerLength(ByteBuffer b, int off) {
        return (NetworkOrder.u8(b, off) & 0x0F) * 4;
    }

    /** The whole second byte: DSCP and ECN (RFC 2474, RFC 3168). */
    public static int tos(ByteBuffer b, int off) {
        return NetworkOrder.u8(b, off + 1);
    }

    public static int dscp(ByteBuffer b, int off) {
        return tos(b, off) >>> 2;
    }

    public static int ecn(ByteBuffer b, int off) {
        return tos(b, off) & 0x3;
    }

    public static int totalLength(ByteBuffer b, int off) {
        return NetworkOrder.u16(b, off + 2);
    }

    public static int identification(ByteBuffer b, int off) {
        return NetworkOrder.u16(b, off + 4);
    }

    /** The raw flags-and-fragment-offset word; test with {@link #DONT_FRAGMENT}, {@link #MORE_FRAGMENTS}. */
    public static int flagsAndFragmentOffset(ByteBuffer b, int off) {
        return NetworkOrder.u16(b, off + 6);
    }

    public static boolean dontFragment(ByteBuffer b, int off) {
        return (flagsAndFragmentOffset(b, off) & DONT_FRAGMENT) != 0;
    }

    public static boolean moreFragments(ByteBuffer b, int off) {
        return (flagsAndFragmentOffset(b, off) & MORE_FRAGMENTS) != 0;
    }

    /** Fragment offset in bytes (the field counts 8-byte units). */
    public static int fragmentOffset(ByteBuffer b, int off) {
        return (flagsAndFragmentOffset(b, off) & FRAGMENT_OFFSET_MASK) * 8;
    }

    /** True for any fragment, first or later. */
    public static boolean isFragment(ByteBuffer b, int off) {
        return (flagsAndFragmentOffset(b, off) & (MORE_FRAGMENTS | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public static int ttl(ByteBuffer b, int off) {
        return NetworkOrder.u8(b, off + 8);
    }

    public static int protocol(ByteBuffer b, int off) {
        return NetworkOrder.u8(b, off + 9);
    }

    public static int checksum(ByteBuffer b, int off) {
        return NetworkOrder.u16(b, off + 10);
    }

    public static int src(ByteBuffer b, int off) {
        return NetworkOrder.i32(b, off + 12);
    }

    public static int dst(ByteBuffer b, int off) {
        return NetworkOrder.i32(b, off + 16);
    }

    /** Copies the 4-byte source address into {@code out} at {@code outOff}. */
    public static void src(ByteBuffer b, int off, byte[] out, int outOff) {
        b.get(off + 12, out, outOff, 4);
    }

    public static void dst(ByteBuffer b, int off, byte[] out, int outOff) {
        b.get(off + 16, out, outOff, 4);
    }

    public static void setTos(ByteBuffer b, int off, int tos) {
        NetworkOrder.put8(b, off + 1, tos);
    }

    public static void setTotalLength(ByteBuffer b, int off, int length) {
        NetworkOrder.put16(b, off + 2, length);
    }

    public static void setTtl(ByteBuffer b, int off, int ttl) {
        NetworkOrder.put8(b, off + 8, ttl);
    }

    public static void setChecksum(ByteBuffer b, int off, int checksum) {
        NetworkOrder.put16(b, off + 10, checksum);
    }

    public static void setSrc(ByteBuffer b, int off, int addr) {
        NetworkOrder.put32(b, off + 12, addr);
    }

    public static void setDst(ByteBuffer b, int off, int addr) {
        NetworkOrder.put32(b, off + 16, addr);
    }

    /** Recomputes and stores the header checksum over the whole header (options included). */
    public static void updateChecksum(ByteBuffer b, int off) {
        setChecksum(b, off, 0);
        setChecksum(b, off, InternetChecksum.checksum(b, off, headerLength(b, off)));
    }

    /** True if the header checksum verifies: the sum over the header, checksum included, is all ones. */
    public static boolean checksumValid(ByteBuffer b, int off) {
        return InternetChecksum.sum(b, off, headerLength(b, off)) == 0xFFFF;
    }

    /**
     * Decrements the TTL and patches the header checksum incrementally (RFC 1624 §4, the
     * forwarding case of RFC 1812 §5.3.1). Returns the new TTL; a caller drops (and may answer
     * Time Exceeded) when it is 0. A TTL already 0 is left alone.
     */
    public static int decrementTtl(ByteBuffer b, int off) {
        int ttl = ttl(b, off);
        if (ttl == 0) return 0;
        int proto = protocol(b, off);
        setChecksum(b, off, InternetChecksum.update16(checksum(b, off), ttl << 8 | proto, (ttl - 1) << 8 | proto));
        setTtl(b, off, ttl - 1);
        return ttl - 1;
    }

    /**
     * Rewrites the source address NAT-style, patching incrementally the header checksum and,
     * when this packet carries the TCP or UDP header (not a later fragment), the transport
     * checksum whose pseudo-header covers the address. {@code len} is the packet's length.
     */
    public static void rewriteSrc(ByteBuffer b, int off, int len, int addr) {
        int old = src(b, off);
        setSrc(b, off, addr);
        addressChanged(b, off, len, old, addr);
    }

    /** As {@link #rewriteSrc} for the destination address. */
    public static void rewriteDst(ByteBuffer b, int off, int len, int addr) {
        int old = dst(b, off);
        setDst(b, off, addr);
        addressChanged(b, off, len, old, addr);
    }

    private static void addressChanged(ByteBuffer b, int off, int len, int old, int addr) {
        setChecksum(b, off, InternetChecksum.update32(checksum(b, off), old, addr));
        if (fragmentOffset(b, off) != 0) return;
        int l4 = off + headerLength(b, off);
        TransportChecksum.addressChanged(b, protocol(b, off), l4, off + len - l4, old, addr);
    }

    /**
     * Checks that {@code len} bytes at {@code off} hold a well-formed IPv4 header: version 4,
     * IHL at least 5 and within the packet, total length between the header length and
     * {@code len}, header checksum valid. Bytes past the total length (link padding) are allowed.
     */
    public static DropReason validate(ByteBuffer b, int off, int len) {
        if (len <= 0) return DropReason.EMPTY;
        if (version(b, off) != 4) return DropReason.UNKNOWN_VERSION;
        if (len < MIN_LENGTH) return DropReason.TRUNCATED_HEADER;
        int hl = headerLength(b, off);
        if (hl < MIN_LENGTH || hl > len) return DropReason.BAD_HEADER_LENGTH;
        int total = totalLength(b, off);
        if (total < hl || total > len) return DropReason.BAD_TOTAL_LENGTH;
        if (!checksumValid(b, off)) return DropReason.BAD_HEADER_CHECKSUM;
        return DropReason.NONE;
    }

    /**
     * Writes a 20-byte header without options, checksum included, and returns its length.
     * {@code flagsAndFragmentOffset} is the raw word, usually {@link #DONT_FRAGMENT} or 0.
     */
    public static int write(ByteBuffer b, int off, int tos, int totalLength, int identification,
                            int flagsAndFragmentOffset, int ttl, int protocol, int src, int dst) {
        NetworkOrder.put8(b, off, 0x45);
        NetworkOrder.put8(b, off + 1, tos);
        NetworkOrder.put16(b, off + 2, totalLength);
        NetworkOrder.put16(b, off + 4, identification);
        NetworkOrder.put16(b, off + 6, flagsAndFragmentOffset);
        NetworkOrder.put8(b, off + 8, ttl);
        NetworkOrder.put8(b, off + 9, protocol);
        NetworkOrder.put16(b, off + 10, 0);
        NetworkOrder.put32(b, off + 12, src);
        NetworkOrder.put32(b, off + 16, dst);
        setChecksum(b, off, InternetChecksum.checksum(b, off, MIN_LENGTH));
        return MIN_LENGTH;
    }
}
