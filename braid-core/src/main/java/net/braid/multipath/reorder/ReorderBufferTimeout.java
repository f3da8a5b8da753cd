package net.braid.multipath.reorder;

import net.braid.multipath.WindowedFilter;

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
 *
 * <p>With a window (1 s by default) both parts are maxima over it instead, as RACK's reordering
 * window grows to the reordering it saw (RFC 8985 §6.2): the spread is the largest of the
 * caller's estimates, the learned part the longest wait any gap needed (filled after {@code w},
 * or late: {@code timeout + x}). The caller's estimate swings with each path's queue, and taken
 * as it came the timeout fell to ~1 ms between two bursts of a slow path; and the receiver's
 * estimate is of its own sending direction, not of the data's, so on two 50 Mbit/s links about
 * 400 packets a second still came late, each a likely inner retransmit, while the smoothed
 * waits of the many gaps that filled at once held the learned part down. A window of 0 keeps
 * the old behaviour (latest estimate, smoothed waits), for comparison.
 */
public final class ReorderBufferTimeout {

    public static final long DEFAULT_MIN_NANOS = 1_000_000L;
    public static final long DEFAULT_MAX_NANOS = 500_000_000L;
    public static final long DEFAULT_SPREAD_WINDOW_NANOS = 1_000_000_000L;

    private final long minNanos;
    private final long maxNanos;
    /** null: the latest estimate alone counts (no memory). */
    private final WindowedFilter spread;
    /** The longest wait a gap needed within the window; null without a window (smoothed instead). */
    private final WindowedFilter neededWait;
    private long pathSpreadNanos;
    private long smoothedWait = -1;
    private long waitDeviation;
    private long current;

    /**
     * @param spreadWindowNanos how long a spread estimate is remembered; 0 to take each as it comes
     * @throws IllegalArgumentException unless {@code 0 < min <= max} and the window is not negative
     */
    public ReorderBufferTimeout(long minNanos, long maxNanos, long spreadWindowNanos) {
        if (minNanos <= 0 || maxNanos < minNanos) {
            throw new IllegalArgumentException("need 0 < min <= max; given " + minNanos + ", " + maxNanos);
        }
        if (spreadWindowNanos < 0) throw new IllegalArgumentException("negative spread window " + spreadWindowNanos);
        this.minNanos = minNanos;
        this.maxNanos = maxNanos;
        this.spread = spreadWindowNanos == 0 ? null : WindowedFilter.max(spreadWindowNanos);
        this.neededWait = spreadWindowNanos == 0 ? null : WindowedFilter.max(spreadWindowNanos);
        this.current = minNanos;
    }

    /** Spread estimates remembered for the default window. */
    public ReorderBufferTimeout(long minNanos, long maxNanos) {
        this(minNanos, maxNanos, DEFAULT_SPREAD_WINDOW_NANOS);
    }

    /** Clamped to 1 ms .. 500 ms, spread remembered for 1 s. */
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
     * the caller wants), in nanoseconds, estimated at {@code nowNanos} (which must not go
     * backwards); negative counts as zero. The largest estimate of the window leads.
     */
    public void pathSpreadNanos(long estimate, long nowNanos) {
        long e = Math.max(0, estimate);
        pathSpreadNanos = spread == null ? e : spread.update(nowNanos, e);
        update();
    }

    /** A gap at the head of the buffer filled after waiting {@code waitedNanos}, at {@code nowNanos}. */
    void gapFilled(long waitedNanos, long nowNanos) {
        sample(Math.max(0, waitedNanos), nowNanos);
    }

    /** A packet arrived {@code lateByNanos} after the buffer skipped its gap, at {@code nowNanos}. */
    void arrivedLate(long lateByNanos, long nowNanos) {
        sample(saturatedAdd(current, Math.max(0, lateByNanos)), nowNanos);
    }

    private void sample(long wait, long nowNanos) {
        if (neededWait != null) {
            neededWait.update(nowNanos, Math.min(wait, maxNanos));
            update();
            return;
        }
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
        long learned = neededWait != null ? neededWait.get()
                : smoothedWait < 0 ? 0 : saturatedAdd(smoothedWait, 4 * Math.min(waitDeviation, maxNanos));
        current = Math.clamp(Math.max(pathSpreadNanos, learned), minNanos, maxNanos);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < a ? Long.MAX_VALUE : sum;
    }
}
