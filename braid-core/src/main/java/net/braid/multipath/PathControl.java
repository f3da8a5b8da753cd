package net.braid.multipath;

/**
 * Everything braid keeps about one path, both directions: the sender ({@link PathSender}), the
 * receiver's {@link FeedbackTracker} and the {@link PathLiveness}, wired so the engine has one
 * call per event. It is the scheduler's view of the path. Not thread-safe: one engine thread
 * drives it.
 */
public final class PathControl implements SchedulerPath {
    private final int pathId;
    private final int metric;
    private final PathSender sender;
    private final FeedbackTracker tracker;
    private final PathLiveness liveness;

    public PathControl(int pathId, int metric, PathSender sender, FeedbackTracker tracker, PathLiveness liveness) {
        if (sender.pathId() != pathId || tracker.pathId() != pathId) throw new IllegalArgumentException("path ids differ");
        this.pathId = pathId;
        this.metric = metric;
        this.sender = sender;
        this.tracker = tracker;
        this.liveness = liveness;
    }

    /** A path with default policies and the default controller. */
    public static PathControl create(int pathId, int metric, int maxDatagramBytes, PathStatus initial, long nowNanos) {
        PathSender sender = PathSender.create(pathId, maxDatagramBytes, CongestionControl.DEFAULT);
        return new PathControl(pathId, metric, sender, new FeedbackTracker(pathId, FeedbackPolicy.DEFAULT),
                new PathLiveness(LivenessPolicy.DEFAULT, sender.rtt(), initial, nowNanos));
    }

    public int pathId() { return pathId; }
    public PathSender sender() { return sender; }
    public FeedbackTracker tracker() { return tracker; }
    public PathLiveness liveness() { return liveness; }

    /** A data message (type 4, keepalives too) left on this path with this path sequence. */
    public void onDataSent(int sequence, int bytes, long nowNanos) {
        sender.onPacketSent(sequence, bytes, nowNanos);
    }

    /** An authenticated message arrived on this path; {@code control} for type 5. */
    public FeedbackTracker.Arrival onReceived(int sequence, boolean control, long nowNanos) {
        liveness.onHeard(nowNanos);
        if (sender.rtt().hasSample()) tracker.setRtt(sender.rtt().smoothed());
        return tracker.onPacket(sequence, nowNanos, !control);
    }

    /** The peer's feedback about this path (from a control message on any path). */
    public int onFeedback(FeedbackBlock block, long nowNanos) {
        int acked = sender.onFeedback(block, nowNanos);
        if (acked > 0) liveness.onAcked(nowNanos);
        return acked;
    }

    /** Runs the loss timeout and the liveness timers. */
    public PathStatus onTimer(long nowNanos) {
        sender.onTimer(nowNanos);
        return liveness.onTimer(nowNanos);
    }

    /** The earliest of: loss timeout, liveness change, keepalive/probe, feedback owed. */
    public long nextTimerAt() {
        return Math.min(Math.min(sender.nextTimeoutAt(), liveness.nextTimerAt()),
                Math.min(liveness.nextProbeAt(), tracker.nextFeedbackAt()));
    }

    @Override public PathStatus status() { return liveness.status(); }
    @Override public int metric() { return metric; }
    @Override public long congestionWindow() { return sender.congestionWindow(); }
    @Override public long bytesInFlight() { return sender.bytesInFlight(); }
    @Override public long smoothedRttNanos() { return sender.rtt().smoothed(); }
    @Override public long minRttNanos() { return sender.rtt().min(); }
    @Override public long deliveryRate() { return sender.controller().bandwidthEstimate(); }
    @Override public long nextSendTime() { return sender.nextSendTime(); }
}
