package net.braid.packet;

import java.nio.ByteBuffer;

/**
 * The Internet checksum (RFC 1071): the 16-bit one's-complement of the one's-complement sum of
 * the data taken as big-endian 16-bit words, plus the IPv4 and IPv6 pseudo-headers that UDP,
 * TCP and ICMPv6 include, and incremental updates (RFC 1624).
 *
 * <p>A <em>sum</em> here is the folded 16-bit one's-complement sum, not yet complemented; sums of
 * consecutive ranges combine with {@link #add} as long as every range but the last has even
 * length. {@link #finish} turns a sum into the checksum to write on the wire. Bytes are always
 * read in network order, whatever the buffer's {@link ByteBuffer#order()}.
 */
public final class InternetChecksum {
    private InternetChecksum() {}

    /** The one's-complement sum of {@code len} bytes from {@code off}; an odd last byte is padded with zero (RFC 1071 §4.1). */
    public static int sum(ByteBuffer b, int off, int len) {
        long s = 0;
        int i = off;
        int end = off + len;
        // 64 bits at a time into a 64-bit accumulator: each step adds at most 2^33, so no carry is lost (RFC 1071 §2(C), deferred carries).
        for (; i + 8 <= end; i += 8) {
            long x = NetworkOrder.i64(b, i);
            s += (x >>> 32) + (x & 0xFFFF_FFFFL);
        }
        if (i + 4 <= end) {
            s += NetworkOrder.u32(b, i);
            i += 4;
        }
        if (i + 2 <= end) {
            s += NetworkOrder.u16(b, i);
            i += 2;
        }
        if (i < end) s += (b.get(i) & 0xFF) << 8;
        return fold(s);
    }

    /** As {@link #sum(ByteBuffer, int, int)}, over an array. */
    public static int sum(byte[] a, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, a.length);
        long s = 0;
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            long x = NetworkOrder.i64(a, i);
            s += (x >>> 32) + (x & 0xFFFF_FFFFL);
        }
        for (; i + 2 <= end; i += 2) s += ((a[i] & 0xFF) << 8) | (a[i + 1] & 0xFF);
        if (i < end) s += (a[i] & 0xFF) << 8;
        return fold(s);
    }

    /** One's-complement addition of two sums (or of a sum and any non-negative value). */
    public static int add(int a, int b) {
        return fold((a & 0xFFFF_FFFFL) + (b & 0xFFFF_FFFFL));
    }

    /** The checksum to put on the wire for a sum. */
    public static int finish(int sum) {
        return ~sum & 0xFFFF;
    }

    /** The checksum of a range: {@code finish(sum(b, off, len))}. */
    public static int checksum(ByteBuffer b, int off, int len) {
        return finish(sum(b, off, len));
    }

    /** The checksum of an array range. */
    public static int checksum(byte[] a, int off, int len) {
        return finish(sum(a, off, len));
    }

    /** The sum of the IPv4 pseudo-header (RFC 768, RFC 9293 §3.1): source, destination, zero, protocol, length. */
    public static int pseudoHeaderV4(int src, int dst, int protocol, int length) {
        long s = (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + (protocol & 0xFF) + (length & 0xFFFF);
        return fold(s);
    }

    /** The sum of the IPv6 pseudo-header (RFC 8200 §8.1): source, destination, 32-bit length, zeros, next header. */
    public static int pseudoHeaderV6(long srcHi, long srcLo, long dstHi, long dstLo, int nextHeader, long length) {
        long s = words(srcHi) + words(srcLo) + words(dstHi) + words(dstLo);
        s += (length >>> 16 & 0xFFFF) + (length & 0xFFFF) + (nextHeader & 0xFF);
        return fold(s);
    }

    /**
     * The pseudo-header sum for an upper-layer packet of {@code length} bytes carried by the IPv4
     * or IPv6 header at {@code ipOff} (the version nibble decides which).
     */
    public static int pseudoHeader(ByteBuffer b, int ipOff, int protocol, int length) {
        if (NetworkOrder.u8(b, ipOff) >>> 4 == 4) {
            return pseudoHeaderV4(Ipv4Header.src(b, ipOff), Ipv4Header.dst(b, ipOff), protocol, length);
        }
        return pseudoHeaderV6(
                Ipv6Header.srcHi(b, ipOff), Ipv6Header.srcLo(b, ipOff),
                Ipv6Header.dstHi(b, ipOff), Ipv6Header.dstLo(b, ipOff), protocol, length);
    }

    /**
     * The checksum after one 16-bit word of the covered data changes from {@code oldWord} to
     * {@code newWord}: RFC 1624 eqn. 3, {@code HC' = ~(~HC + ~m + m')}.
     */
    public static int update16(int checksum, int oldWord, int newWord) {
        long s = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return ~fold(s) & 0xFFFF;
    }

    /** As {@link #update16} for a 32-bit field such as an IPv4 address. */
    public static int update32(int checksum, int oldValue, int newValue) {
        long s = (~checksum & 0xFFFF)
                + (~oldValue >>> 16 & 0xFFFF) + (~oldValue & 0xFFFF)
                + (newValue >>> 16) + (newValue & 0xFFFF);
        return ~fold(s) & 0xFFFF;
    }

    /** As {@link #update16} for a 64-bit field, such as half of an IPv6 address. */
    public static int update64(int checksum, long oldValue, long newValue) {
        long s = (~checksum & 0xFFFF) + words(~oldValue) + words(newValue);
        return ~fold(s) & 0xFFFF;
    }

    private static long words(long v) {
        return (v >>> 48) + (v >>> 32 & 0xFFFF) + (v >>> 16 & 0xFFFF) + (v & 0xFFFF);
    }

    private static int fold(long s) {
        s = (s & 0xFFFF_FFFFL) + (s >>> 32);
        s = (s & 0xFFFF_FFFFL) + (s >>> 32);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        return (int) s;
    }
}
