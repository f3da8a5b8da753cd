package net.braid.tunnel;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import net.braid.multipath.reorder.ReorderBuffer;
import net.braid.multipath.reorder.ReorderBufferSink;
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

    /**
     * The reorder timeout's window ({@link ReorderBufferTimeout}); {@code BRAID_REORDER_SPREAD_WINDOW_MS}
     * sets it. Off (0) by default: in bench/multipath (load 5–10) a 1 s window cut late arrivals
     * 15–30× and inner retransmits 5–12×, but throughput moved +6 % on 2 × 50 Mbit/s, −10 % on
     * 20 + 80 and −28 % on 4 × 25 (docs/bench/multipath.md): each real loss now waits the
     * longest reordering of the last second. Kept selectable so both can be measured in one run.
     */
    static final long SPREAD_WINDOW_NANOS = spreadWindowFromEnvironment();

    final ReorderBufferTimeout timeout = new ReorderBufferTimeout(ReorderBufferTimeout.DEFAULT_MIN_NANOS,
            ReorderBufferTimeout.DEFAULT_MAX_NANOS, SPREAD_WINDOW_NANOS);
    final ReorderBuffer<ByteBuffer> buffer;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    /** The session whose counters are ordered; older sessions' stragglers go straight through. */
    Session session;
    private long lateReleased;

    ReorderStage(int packetBytes) {
        buffer = new ReorderBuffer<>(CAPACITY, (long) CAPACITY * packetBytes, timeout);
        for (int i = 0; i < CAPACITY + SPARE; i++) free.push(ByteBuffer.allocateDirect(packetBytes));
    }

    /**
     * Puts one authenticated message in order; {@code packet} is {@link #SKIP} for a control
     * message or keepalive. A data packet that comes after its gap was given up on is released
     * at once, out of order, rather than dropped: the replay window has already refused
     * duplicates, so it is the only copy, and the inner TCP takes it as a filled hole (SACK).
     * Dropping it cost a retransmit and a halved window each time (about 1800 late drops in 3 s
     * of one TCP flow over two 50 Mbit/s links).
     *
     * @return whether a data packet was released late, out of order
     */
    boolean accept(long counter, ByteBuffer packet, long nowNanos, ReorderBufferSink<ByteBuffer> sink) {
        if (!buffer.offer(counter, packet, packet.remaining(), nowNanos, sink) && packet != SKIP) {
            lateReleased++;
            sink.release(counter, packet);
            return true;
        }
        return false;
    }

    /** Data packets released out of order because they came after their gap's timeout. */
    long lateReleased() { return lateReleased; }

    /** A pooled buffer, or null when all are in use (the caller drops and counts). */
    ByteBuffer take() { return free.poll(); }

    void give(ByteBuffer b) { free.push(b); }

    private static long spreadWindowFromEnvironment() {
        String ms = System.getenv("BRAID_REORDER_SPREAD_WINDOW_MS");
        if (ms == null || ms.isBlank()) return 0;
        try {
            return Math.max(0, Long.parseLong(ms.strip())) * 1_000_000L;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
