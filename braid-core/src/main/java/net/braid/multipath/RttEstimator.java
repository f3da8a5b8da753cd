package net.braid.multipath;

/**
 * One path's round-trip time: RFC 6298 §2 smoothing (α = 1/8, β = 1/4) of samples from the
 * feedback, less the receiver's hold delay when that leaves at least the minimum RTT (RFC 9002
 * §5.3, so a bogus hold cannot push a sample below what the path ever showed), and the minimum
 * over a sliding window. The seed's single EWMA (003 §3.2.3) had no variance, so no timeout
 * could be derived from it.
 */
public final class RttEstimator {
    /** Used before the first sample (RFC 9002 §6.2.2). */
    public static final long INITIAL_RTT_NANOS = 333_000_000L;
    public static final long MIN_RTT_WINDOW_NANOS = 10_000_000_000L;
    /** Clock granularity G of RFC 6298 §2. */
    public static final long GRANULARITY_NANOS = 1_000_000L;

    private final WindowedFilter min;
    private boolean hasSample;
    private long smoothed;
    private long variance;
    private long latest;

    public RttEstimator() {
        this(MIN_RTT_WINDOW_NANOS);
    }

    public RttEstimator(long minRttWindowNanos) {
        min = WindowedFilter.min(minRttWindowNanos);
    }

    /** One measurement: {@code rtt} = now − send time of the acked packet, {@code hold} as reported. */
    public void onSample(long rttNanos, long holdNanos, long nowNanos) {
        if (rttNanos <= 0) return;
        min.update(nowNanos, rttNanos);
        long adjusted = rttNanos - holdNanos >= min.get() && holdNanos > 0 ? rttNanos - holdNanos : rttNanos;
        latest = adjusted;
        if (!hasSample) {
            hasSample = true;
            smoothed = adjusted;
            variance = adjusted / 2;
        } else {
            variance = (3 * variance + Math.abs(smoothed - adjusted)) / 4;
            smoothed = (7 * smoothed + adjusted) / 8;
        }
    }

    public boolean hasSample() { return hasSample; }

    /** SRTT, or {@link #INITIAL_RTT_NANOS} before the first sample. */
    public long smoothed() { return hasSample ? smoothed : INITIAL_RTT_NANOS; }

    public long variance() { return hasSample ? variance : INITIAL_RTT_NANOS / 2; }

    public long latest() { return hasSample ? latest : INITIAL_RTT_NANOS; }

    /** Minimum raw sample over the window; the initial RTT before any sample. */
    public long min() { return hasSample ? min.get() : INITIAL_RTT_NANOS; }

    /** RFC 6298 §2.3 RTO without its one-second floor: SRTT + max(G, 4·RTTVAR). */
    public long timeout() { return smoothed() + Math.max(GRANULARITY_NANOS, 4 * variance()); }
}
