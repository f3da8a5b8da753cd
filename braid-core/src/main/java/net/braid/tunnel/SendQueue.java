package net.braid.tunnel;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared queue of a multipath peer: packets from the device wait here until the scheduler
 * gives them a path. A ring of pooled direct buffers; producers (the send thread, the timer
 * thread with staged packets) copy in under the queue's lock, the one consumer (braid-paths)
 * reads the head without it. Full: the new packet is refused and the caller counts it.
 */
final class SendQueue {
    private final ByteBuffer[] slots;
    private final long[] enqueuedAt;
    private final int[] lengths;
    private final int mask;
    private volatile long head;
    private volatile long tail;
    private final AtomicLong bytes = new AtomicLong();

    SendQueue(int capacity, int packetBytes) {
        if (Integer.bitCount(capacity) != 1) throw new IllegalArgumentException("capacity must be a power of two");
        slots = new ByteBuffer[capacity];
        for (int i = 0; i < capacity; i++) slots[i] = ByteBuffer.allocateDirect(packetBytes);
        enqueuedAt = new long[capacity];
        lengths = new int[capacity];
        mask = capacity - 1;
    }

    /** Copies the packet (position to limit) in; false when the queue is full. */
    synchronized boolean offer(ByteBuffer packet, long nowNanos) {
        long t = tail;
        if (t - head > mask) return false;
        int i = (int) (t & mask);
        ByteBuffer slot = slots[i];
        slot.clear();
        slot.put(packet.duplicate());
        slot.flip();
        enqueuedAt[i] = nowNanos;
        lengths[i] = slot.remaining();
        bytes.addAndGet(lengths[i]);
        tail = t + 1;
        return true;
    }

    boolean isEmpty() { return head == tail; }

    int size() { return (int) (tail - head); }

    long bytes() { return bytes.get(); }

    /** The head packet (consumer only), positioned at its start; null when empty. */
    ByteBuffer peek() {
        long h = head;
        if (h == tail) return null;
        ByteBuffer b = slots[(int) (h & mask)];
        b.position(0).limit(lengths[(int) (h & mask)]);
        return b;
    }

    int lengthAt(int i) { return lengths[(int) ((head + i) & mask)]; }

    /** The i-th packet from the head (consumer only; i below {@link #size}), positioned at its start. */
    ByteBuffer peekAt(int i) {
        int k = (int) ((head + i) & mask);
        ByteBuffer b = slots[k];
        b.position(0).limit(lengths[k]);
        return b;
    }

    /** Gives the first {@code n} slots back to the producers. */
    void remove(int n) {
        long h = head;
        long freed = 0;
        for (int i = 0; i < n; i++) freed += lengths[(int) ((h + i) & mask)];
        bytes.addAndGet(-freed);
        head = h + n;
    }

    long headEnqueuedAt() { return enqueuedAt[(int) (head & mask)]; }

    /** Gives the head slot back to the producers (after its packet was sealed or dropped). */
    void remove() {
        long h = head;
        bytes.addAndGet(-lengths[(int) (h & mask)]);
        head = h + 1;
    }
}
