package net.braid.packet.offload;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Network-order fields the packet codecs have no accessor for, whatever the buffer's own order. */
final class BigEndian {
    private static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private BigEndian() {}

    static int u16(ByteBuffer b, int off) {
        return (short) SHORT.get(b, off) & 0xFFFF;
    }

    static void put16(ByteBuffer b, int off, int v) {
        SHORT.set(b, off, (short) v);
    }

    static int i32(ByteBuffer b, int off) {
        return (int) INT.get(b, off);
    }
}
