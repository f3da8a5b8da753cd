package net.braid.multipath;

import java.nio.ByteBuffer;

/**
 * QUIC variable-length integers (RFC 9000 §16): the two high bits of the first byte give the
 * length (1, 2, 4 or 8 bytes), the rest is the value, big-endian. Readers accept non-minimal
 * encodings, as RFC 9000 §16 allows; writers always use the shortest.
 */
final class Varint {
    static final long MAX = (1L << 62) - 1;

    private Varint() {}

    static int size(long v) {
        if (v < 0 || v > MAX) throw new IllegalArgumentException("varint out of range: " + v);
        if (v < 1 << 6) return 1;
        if (v < 1 << 14) return 2;
        if (v < 1L << 30) return 4;
        return 8;
    }

    static void write(ByteBuffer b, long v) {
        switch (size(v)) {
            case 1 -> b.put((byte) v);
            case 2 -> b.putShort((short) (0x4000 | v));
            case 4 -> b.putInt((int) (0x8000_0000L | v));
            default -> b.putLong(0xC000_0000_0000_0000L | v);
        }
    }

    /** Reads one varint and advances; returns -1 (position unchanged) when the buffer ends inside it. */
    static long read(ByteBuffer b) {
        if (!b.hasRemaining()) return -1;
        int p = b.position();
        int first = b.get(p) & 0xff;
        int len = 1 << (first >>> 6);
        if (b.remaining() < len) return -1;
        long v = first & 0x3f;
        for (int i = 1; i < len; i++) v = v << 8 | (b.get(p + i) & 0xff);
        b.position(p + len);
        return v;
    }
}
