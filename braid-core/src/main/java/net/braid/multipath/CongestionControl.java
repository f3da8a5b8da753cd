package net.braid.multipath;

/**
 * The congestion controllers a path can run. {@link #DEFAULT} is BBR-like: in the simulated
 * comparison of docs/multipath.md §2.4 (ControllerComparisonTest) it keeps the bottleneck full
 * under random loss, where NewReno's halving leaves most of it idle, and keeps the standing queue
 * short on a deep buffer.
 */
public enum CongestionControl {
    NEWRENO,
    BBR;

    public static final CongestionControl DEFAULT = BBR;

    public CongestionController create(int maxDatagramBytes, RttEstimator rtt) {
        return switch (this) {
            case NEWRENO -> new NewRenoController(maxDatagramBytes, rtt);
            case BBR -> new BbrLikeController(maxDatagramBytes, rtt);
        };
    }
}
