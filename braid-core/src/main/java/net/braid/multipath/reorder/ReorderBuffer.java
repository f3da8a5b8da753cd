package net.braid.multipath.reorder;

import java.util.Objects;

/**
 * Releases received packets in tunnel-counter order, waiting a bounded time for the ones that
 * are missing, so one TCP flow over paths of unequal delay sees order instead of loss.
 *
 * <p>Design. Packets wait in a ring indexed by {@code counter & (capacity - 1)}; only counters in
 * {@code [next, next + capacity)} can be held, so a slot never holds two. The packet numbered
 * {@code next} goes out on arrival, followed by every held packet that is now contiguous. A
 * packet further ahead than the ring reaches forces the oldest out (the cap); so does holding
 * more than {@code maxBytes}. Each held packet gets a deadline, its arrival plus the timeout at
 * that moment; at a deadline the buffer gives up on every gap below that packet and releases
 * up to it. Deadlines live in a deque kept increasing in both time and counter: a new deadline
 * earlier than those behind it absorbs them (keeping the highest counter, which can only release
 * them sooner), and one whose counter an earlier entry already covers is dropped. So the deque
 * never holds more than {@code capacity} entries, the head is always the next deadline, and no
 * packet is held past its own deadline, even when the timeout shrinks. Counters below
 * {@code next} (late: their gap was already skipped) and copies of held counters are refused
 * and counted; the caller keeps the refused packet.
 *
 * <p>Sans-IO: time is the caller's {@code nowNanos} (any monotonic clock, never decreasing);
 * the caller arms a timer for {@link #nextDeadline()} and calls {@link #poll}. No threads, no
 * allocation after construction. Not thread-safe: the receiving thread owns it. Counters are
 * the tunnel's 64-bit send counters, from 0 up and far below 2^63.
 *
 * @param <T> the packet: a pooled buffer or a handle to one
 */
public final class ReorderBuffer<T> {

    /** What {@link #nextDeadline()} returns while nothing is held. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private static final int WAITED = 0;
    private static final int TIMED_OUT = 1;
    private static final int CAPPED = 2;

    private final int capacity;
    private final int mask;
    private final long maxBytes;
    private final ReorderBufferTimeout timeout;
    private final T[] packets;
    private final int[] lengths;
    // Deadline deque, a ring of capacity entries: deadline[i] in nanos, bound[i] the counter to release through.
    private final long[] deadline;
    private final long[] bound;
    private int dequeHead;
    private int dequeSize;

    private long next;
    private int held;
    private long heldBytes;
    private long gapOpenedAt;
    private long lastSkipAt = Long.MIN_VALUE;

    private long inOrder;
    private long waited;
    private long timedOut;
    private long capped;
    private long droppedLate;
    private long droppedDuplicate;
    private long skipped;

    /**
     * @param capacity how far ahead of the next expected counter a packet may be held; a power of
     *                 two, also the most packets held
     * @param maxBytes the most bytes held before the oldest is forced out
     * @param timeout  the wait for a gap, shared with whoever measures the paths
     */
    @SuppressWarnings("unchecked")
    public ReorderBuffer(int capacity, long maxBytes, ReorderBufferTimeout timeout) {
        if (capacity < 1 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two; given " + capacity);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive; given " + maxBytes);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.maxBytes = maxBytes;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.packets = (T[]) new Object[capacity];
        this.lengths = new int[capacity];
        this.deadline = new long[capacity];
        this.bound = new long[capacity];
    }

    /**
     * Takes a packet that arrived at {@code nowNanos}, first releasing whatever is due by then.
     * Releases it at once when it is the next expected (with the held packets that follow it),
     * holds it otherwise.
     *
     * @param length its size in bytes, for the byte cap
     * @return false when refused as late or duplicate: the packet stays the caller's
     */
    public boolean offer(long counter, T packet, int length, long nowNanos, ReorderBufferSink<? super T> sink) {
        if (counter < 0 || length < 0) {
            throw new IllegalArgumentException("counter and length must not be negative");
        }
        poll(nowNanos, sink);
        if (counter < next) {
            droppedLate++;
            if (lastSkipAt != Long.MIN_VALUE) {
                timeout.arrivedLate(nowNanos - lastSkipAt, nowNanos);
            }
            return false;
        }
        if (counter - next >= capacity) {
            advanceTo(counter - capacity + 1, CAPPED, sink);
            afterRelease(nowNanos);
        }
        if (counter == next) {
            sink.release(counter, packet);
            inOrder++;
            next++;
            if (held > 0) {
                timeout.gapFilled(nowNanos - gapOpenedAt, nowNanos);
                drainContiguous(WAITED, sink);
                afterRelease(nowNanos);
            }
            return true;
        }
        int slot = (int) (counter & mask);
        if (packets[slot] != null) {
            droppedDuplicate++;
            return false;
        }
        packets[slot] = packet;
        lengths[slot] = length;
        if (held++ == 0) {
            gapOpenedAt = nowNanos;
        }
        heldBytes += length;
        pushDeadline(nowNanos + timeout.nanos(), counter);
        if (heldBytes > maxBytes) {
            do {
                advanceTo(firstHeld() + 1, CAPPED, sink);
            } while (heldBytes > maxBytes);
            afterRelease(nowNanos);
        }
        return true;
    }

    /** Releases every packet whose deadline is at or before {@code nowNanos}; returns how many went out. */
    public int poll(long nowNanos, ReorderBufferSink<? super T> sink) {
        int released = 0;
        while (dequeSize > 0 && deadline[dequeHead] <= nowNanos) {
            long through = bound[dequeHead];
            popFront();
            if (through >= next) {
                int before = held;
                advanceTo(through + 1, TIMED_OUT, sink);
                released += before - held;
                lastSkipAt = nowNanos;
                afterRelease(nowNanos);
            }
        }
        return released;
    }

    /** When {@link #poll} next has work, in the caller's nanos; {@link #NO_DEADLINE} when nothing is held. */
    public long nextDeadline() {
        return dequeSize == 0 ? NO_DEADLINE : deadline[dequeHead];
    }

    /** Releases everything held, in order, skipping the gaps; for a session that ends. */
    public void flush(ReorderBufferSink<? super T> sink) {
        while (held > 0) {
            advanceTo(firstHeld() + 1, TIMED_OUT, sink);
        }
        dequeSize = 0;
    }

    /** Flushes, then expects {@code nextCounter}: a new session's counters start again at 0. */
    public void reset(long nextCounter, ReorderBufferSink<? super T> sink) {
        if (nextCounter < 0) {
            throw new IllegalArgumentException("counter must not be negative; given " + nextCounter);
        }
        flush(sink);
        next = nextCounter;
        lastSkipAt = Long.MIN_VALUE;
    }

    /** The counter released next. */
    public long nextExpected() {
        return next;
    }

    public int heldPackets() {
        return held;
    }

    public long heldBytes() {
        return heldBytes;
    }

    public ReorderBufferTimeout timeout() {
        return timeout;
    }

    /** Released on arrival, nothing missing before them. */
    public long inOrder() {
        return inOrder;
    }

    /** Held, then released when the gap before them filled. */
    public long waited() {
        return waited;
    }

    /** Held, then released when a deadline gave up on the gap before them. */
    public long timedOut() {
        return timedOut;
    }

    /** Held, then forced out by the packet or byte cap. */
    public long capped() {
        return capped;
    }

    /** Refused: their counter was already passed (their gap timed out or was capped). */
    public long droppedLate() {
        return droppedLate;
    }

    /** Refused: a packet with the same counter was being held. */
    public long droppedDuplicate() {
        return droppedDuplicate;
    }

    /** Counters given up on without ever arriving (so far): the loss the tunnel passes on. */
    public long skipped() {
        return skipped;
    }

    /** Releases held packets below {@code target} in order, skips the missing ones, then what follows contiguously. */
    private void advanceTo(long target, int reason, ReorderBufferSink<? super T> sink) {
        long end = Math.min(target, next + capacity);
        long c = next;
        for (; c < end && held > 0; c++) {
            if (!releaseSlot(c, reason, sink)) {
                skipped++;
            }
        }
        skipped += target - c;
        next = target;
        drainContiguous(reason, sink);
    }

    private void drainContiguous(int reason, ReorderBufferSink<? super T> sink) {
        while (held > 0 && releaseSlot(next, reason, sink)) {
            next++;
        }
    }

    private boolean releaseSlot(long counter, int reason, ReorderBufferSink<? super T> sink) {
        int slot = (int) (counter & mask);
        T packet = packets[slot];
        if (packet == null) {
            return false;
        }
        packets[slot] = null;
        held--;
        heldBytes -= lengths[slot];
        switch (reason) {
            case WAITED -> waited++;
            case TIMED_OUT -> timedOut++;
            default -> capped++;
        }
        sink.release(counter, packet);
        return true;
    }

    /** The lowest held counter; only called while something is held. */
    private long firstHeld() {
        long c = next;
        while (packets[(int) (c & mask)] == null) {
            c++;
        }
        return c;
    }

    /**
     * After {@code next} moved: drops the deadlines it passed, so the deque holds live entries
     * only, and starts the clock of the new head gap if packets still wait.
     */
    private void afterRelease(long nowNanos) {
        while (dequeSize > 0 && bound[dequeHead] < next) {
            popFront();
        }
        // The packets still held have waited at most since now for this gap; a fill sample from
        // here underestimates rather than charges one gap's wait to the next.
        gapOpenedAt = nowNanos;
    }

    private void pushDeadline(long at, long counter) {
        long through = counter;
        while (dequeSize > 0) {
            int back = (dequeHead + dequeSize - 1) & mask;
            if (deadline[back] < at) {
                if (bound[back] >= through) {
                    return; // an earlier deadline already releases this counter
                }
                break;
            }
            through = Math.max(through, bound[back]);
            dequeSize--;
        }
        int tail = (dequeHead + dequeSize) & mask;
        deadline[tail] = at;
        bound[tail] = through;
        dequeSize++;
    }

    private void popFront() {
        dequeHead = (dequeHead + 1) & mask;
        dequeSize--;
    }
}
