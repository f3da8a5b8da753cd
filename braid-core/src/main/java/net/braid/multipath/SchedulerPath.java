package net.braid.multipath;

/** What {@link PathScheduler} reads of a path; {@link PathControl} is the usual implementation. */
public interface SchedulerPath {
    PathStatus status();

    /** Lower is preferred: a higher metric carries traffic only while no lower one is up. */
    int metric();

    long congestionWindow();

    long bytesInFlight();

    long smoothedRttNanos();

    /** The smallest RTT the path showed lately (its propagation delay); SRTT when unknown. */
    default long minRttNanos() { return smoothedRttNanos(); }

    /** Estimated bytes per second the path delivers; 0 when unknown (cwnd / SRTT is used). */
    long deliveryRate();

    /** Earliest time pacing lets the path send. */
    long nextSendTime();
}
