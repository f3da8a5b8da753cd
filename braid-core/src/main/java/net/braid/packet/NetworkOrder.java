package net.braid.packet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Big-endian reads and writes at absolute offsets, whatever order the buffer itself is set to,
 * so a codec never depends on (or changes) a caller's {@link ByteBuffer#order()}.
 */
final class NetworkOrder {
    private static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle ARRAY_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private NetworkOrder() {}

    static int u8(ByteBuffer b, int off) {
        return b.get(off) & 0xFF;
    }

    static int u16(ByteBuffer b, int off) {
        return (short) SHORT.get(b, off) & 0xFFFF;
    }

    static int i32(ByteBuffer b, int off) {
        return (int) INT.get(b, off);
    }

    static long u32(ByteBuffer b, int off) {
        return (int) INT.get(b, off) & 0xFFFF_FFFFL;
    }

    static long i64(ByteBuffer b, int off) {
        return (long) LONG.get(b, off);
    }

    static long i64(byte[] a, int off) {
        return (long) ARRAY_LONG.get(a, off);
    }

    static void put8(ByteBuffer b, int off, int v) {
        b.put(off, (byte) v);
    }

    static void put16(ByteBuffer b, int off, int v) {
        SHORT.set(b, off, (short) v);
    }

    static void put32(ByteBuffer b, int off, int v) {
        INT.set(b, off, v);
    }

    static void put64(ByteBuffer b, int off, long v) {
        LONG.set(b, off, v);
    }
}
