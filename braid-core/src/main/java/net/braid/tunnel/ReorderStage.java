package net.braid.tunnel;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import net.braid.multipath.reorder.ReorderBuffer;
import net.braid.multipath.reorder.ReorderBufferTimeout;

/**
 * A multipath peer's receive order: a {@link ReorderBuffer} over the session counter, with the
 * pool of buffers the held packets wait in. Control messages and keepalives take a counter too;
 * they enter as {@link #SKIP} so the buffer never waits for a counter that carries no packet.
 * Guarded by the peer's path lock.
 */
final class ReorderStage {
    static final ByteBuffer SKIP = ByteBuffer.allocate(0);
    static final int CAPACITY = 512;
    /** Buffers beyond the held ones: released packets wait in them for the device write. */
    static final int SPARE = 1024;

    final ReorderBufferTimeout timeout = new ReorderBufferTimeout();
    final ReorderBuffer<ByteBuffer> buffer;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    /** The session whose counters are ordered; older sessions' stragglers go straight through. */
    Session session;

    ReorderStage(int packetBytes) {
        buffer = new ReorderBuffer<>(CAPACITY, (long) CAPACITY * packetBytes, timeout);
        for (int i = 0; i < CAPACITY + SPARE; i++) free.push(ByteBuffer.allocateDirect(packetBytes));
    }

    /** A pooled buffer, or null when all are in use (the caller drops and counts). */
    ByteBuffer take() { return free.poll(); }

    void give(ByteBuffer b) { free.push(b); }
}
