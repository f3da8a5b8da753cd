package net.braid.multipath.reorder;

/**
 * How long a {@link ReorderBuffer} waits for a missing counter: the larger of the spread between
 * the paths' one-way delays (set by whoever measures the paths) and what the buffer learned from
 * gaps that did fill, clamped to {@code [min, max]}.
 *
 * <p>The learned part is a smoothed wait plus four deviations, as RFC 6298 section 2 does for the
 * retransmission timer: a gap filled after {@code w} is one sample of {@code w}; a packet that
 * arrived {@code x} after its gap was given up on is a sample of {@code timeout + x}, so a
 * timeout that proves too short grows. Samples are censored at the timeout otherwise, which is
 * why the caller's spread estimate, not the learned part, should lead.
 */
public final class ReorderBufferTimeout {

    public static final long DEFAULT_MIN_NANOS = 1_000_000L;
    public static final long DEFAULT_MAX_NANOS = 500_000_000L;

    private final long minNanos;
    private final long maxNanos;
    private long pathSpreadNanos;
    private long smoothedWait = -1;
    private long waitDeviation;
    private long current;

    /** @throws IllegalArgumentException unless {@code 0 < min <= max} */
    public ReorderBufferTimeout(long minNanos, long maxNanos) {
        if (minNanos <= 0 || maxNanos < minNanos) {
            throw new IllegalArgumentException("need 0 < min <= max; given " + minNanos + ", " + maxNanos);
        }
        this.minNanos = minNanos;
        this.maxNanos = maxNanos;
        this.current = minNanos;
    }

    /** Clamped to 1 ms .. 500 ms. */
    public ReorderBufferTimeout() {
        this(DEFAULT_MIN_NANOS, DEFAULT_MAX_NANOS);
    }

    /** A timeout that never adapts: for tests and for operators who pin it. */
    public static ReorderBufferTimeout fixed(long nanos) {
        return new ReorderBufferTimeout(nanos, nanos);
    }

    /** The current timeout in nanoseconds, within {@code [min, max]}. */
    public long nanos() {
        return current;
    }

    /**
     * The spread of the paths' one-way delays (slowest minus fastest, plus whatever jitter margin
     * the caller wants), in nanoseconds; negative counts as zero.
     */
    public void pathSpreadNanos(long spread) {
        pathSpreadNanos = Math.max(0, spread);
        update();
    }

    /** A gap at the head of the buffer filled after waiting {@code waitedNanos}. */
    void gapFilled(long waitedNanos) {
        sample(Math.max(0, waitedNanos));
    }

    /** A packet arrived {@code lateByNanos} after the buffer skipped its gap. */
    void arrivedLate(long lateByNanos) {
        sample(saturatedAdd(current, Math.max(0, lateByNanos)));
    }

    private void sample(long wait) {
        if (smoothedWait < 0) {
            smoothedWait = wait;
            waitDeviation = wait / 2;
        } else {
            waitDeviation += (Math.abs(smoothedWait - wait) - waitDeviation) / 4;
            smoothedWait += (wait - smoothedWait) / 8;
        }
        update();
    }

    private void update() {
        long learned = smoothedWait < 0 ? 0 : saturatedAdd(smoothedWait, 4 * Math.min(waitDeviation, maxNanos));
        current = Math.clamp(Math.max(pathSpreadNanos, learned), minNanos, maxNanos);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < a ? Long.MAX_VALUE : sum;
    }
}
