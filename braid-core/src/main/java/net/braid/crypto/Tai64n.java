package net.braid.crypto;

import java.time.Instant;

/** TAI64N timestamps (12 bytes, big-endian), the handshake's protection against replayed initiations. */
public final class Tai64n {
    public static final int BYTES = 12;
    private static final long TAI64_EPOCH = 0x400000000000000aL; // 2^62 + 10 s TAI-UTC offset

    private Tai64n() {}

    public static byte[] encode(Instant t) {
        byte[] b = new byte[BYTES];
        long secs = TAI64_EPOCH + t.getEpochSecond();
        // Whole milliseconds only: coarser timestamps reveal less about the sender's clock.
        int nanos = (t.getNano() / 1_000_000) * 1_000_000;
        for (int i = 0; i < 8; i++) b[i] = (byte) (secs >>> (56 - 8 * i));
        for (int i = 0; i < 4; i++) b[8 + i] = (byte) (nanos >>> (24 - 8 * i));
        return b;
    }

    /** Unsigned lexicographic comparison equals chronological order for TAI64N. */
    public static int compare(byte[] a, byte[] b) {
        return java.util.Arrays.compareUnsigned(a, b);
    }
}
