package net.braid.multipath;

/**
 * Timers of {@link PathLiveness}. A path is suspect after max(SRTT × {@code suspectRtts},
 * {@code minSuspectNanos}) without a sign of life and down after max(SRTT × {@code downRtts},
 * {@code minDownNanos}); the issue asks for about 3 RTT and at least 300 ms.
 *
 * @param repliesToComeUp probe replies a down path must give before it carries traffic again
 */
public record LivenessPolicy(double suspectRtts, long minSuspectNanos, double downRtts, long minDownNanos,
        long firstProbeIntervalNanos, long maxProbeIntervalNanos, int repliesToComeUp) {
    public static final LivenessPolicy DEFAULT = new LivenessPolicy(1, 100_000_000L, 3, 300_000_000L,
            100_000_000L, 1_000_000_000L, 2);

    public LivenessPolicy {
        if (suspectRtts <= 0 || downRtts < suspectRtts || minSuspectNanos <= 0 || minDownNanos < minSuspectNanos
                || firstProbeIntervalNanos <= 0 || maxProbeIntervalNanos < firstProbeIntervalNanos || repliesToComeUp < 1)
            throw new IllegalArgumentException("liveness policy " + this);
    }
}
