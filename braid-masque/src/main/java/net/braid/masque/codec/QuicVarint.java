package net.braid.masque.codec;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * QUIC variable-length integers (RFC 9000 §16): the two high bits of the first byte give the
 * encoded length (1, 2, 4 or 8 bytes), the remaining bits are the value, big-endian, so values
 * run from 0 to 2^62-1. Writers always use the shortest encoding; readers accept any length, as
 * §16 allows ("values do not need to be encoded on the minimum number of bytes").
 *
 * <p>Reads never consume a partial integer: when the buffer ends inside one they return
 * {@link #NEED_MORE} and leave the position unchanged, so a streaming caller can wait for more
 * bytes and try again.
 */
public final class QuicVarint {

    /** The largest value a varint holds: 2^62-1 (RFC 9000 §16). */
    public static final long MAX = (1L << 62) - 1;

    /** Returned by the readers when the buffer ends inside the integer; never a valid value. */
    public static final long NEED_MORE = -1;

    private QuicVarint() {}

    /** The shortest encoded length of {@code value}: 1, 2, 4 or 8 bytes (RFC 9000 §16, Table 4). */
    public static int length(long value) {
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException("varint out of range 0..2^62-1: " + value);
        }
        if (value < 1L << 6) return 1;
        if (value < 1L << 14) return 2;
        if (value < 1L << 30) return 4;
        return 8;
    }

    /** The encoded length announced by a varint's first byte: its two high bits are log2(length). */
    public static int lengthOfFirstByte(byte first) {
        return 1 << ((first & 0xff) >>> 6);
    }

    /**
     * Writes {@code value} at the buffer's position in its shortest form and advances.
     *
     * @throws BufferOverflowException when fewer than {@link #length(long)} bytes remain
     */
    public static void write(ByteBuffer dst, long value) {
        int len = length(value);
        if (dst.remaining() < len) throw new BufferOverflowException();
        // RFC 9000 §16: the 2-bit prefix 00/01/10/11 selects 1/2/4/8 bytes, then the value
        // big-endian. Written byte by byte so the buffer's byte order does not matter.
        long prefixed = value | (long) Integer.numberOfTrailingZeros(len) << (8 * len - 2);
        for (int shift = 8 * (len - 1); shift >= 0; shift -= 8) {
            dst.put((byte) (prefixed >>> shift));
        }
    }

    /** The shortest encoding of {@code value} as a new array. */
    public static byte[] encode(long value) {
        ByteBuffer b = ByteBuffer.allocate(length(value));
        write(b, value);
        return b.array();
    }

    /**
     * Reads one varint at the position and advances past it, or returns {@link #NEED_MORE}
     * with the position unchanged when the buffer's remaining bytes end inside it.
     */
    public static long read(ByteBuffer src) {
        int p = src.position();
        long v = get(src, p);
        if (v != NEED_MORE) {
            src.position(p + lengthOfFirstByte(src.get(p)));
        }
        return v;
    }

    /**
     * Reads the varint starting at absolute {@code index} without moving the position, or
     * returns {@link #NEED_MORE} when it does not end before the buffer's limit.
     */
    public static long get(ByteBuffer src, int index) {
        if (index >= src.limit()) return NEED_MORE;
        int first = src.get(index) & 0xff;
        int len = 1 << (first >>> 6);
        if (src.limit() - index < len) return NEED_MORE;
        long v = first & 0x3f;
        for (int i = 1; i < len; i++) {
            v = v << 8 | (src.get(index + i) & 0xff);
        }
        return v;
    }
}
