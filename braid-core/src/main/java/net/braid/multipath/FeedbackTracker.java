package net.braid.multipath;

/**
 * The receiver's record of one path's sequences, and the feedback it owes the sender.
 *
 * <p>It keeps the last {@link #WINDOW} sequences below the largest received: received, declared
 * lost (NACK), or a gap still waiting — reordering on one path is short, so a gap becomes a NACK
 * only when it is older than the reorder threshold (seed 003 §3.2.3: half an RTT). Every
 * sequence is reported in {@link #REPORTS} feedback blocks, so one lost control message costs the
 * sender nothing; the floor of the reported span only moves past a sequence once that is done.
 * Sequences are 32-bit and wrap; comparisons are serial (RFC 1982). Nothing here allocates.
 */
public final class FeedbackTracker {
    public static final int WINDOW = 1024;
    /** How many feedback blocks report each sequence (or NACK). */
    public static final int REPORTS = 3;

    /** What an arriving sequence was. */
    public enum Arrival { NEW, REORDERED, LATE_AFTER_NACK, DUPLICATE, TOO_OLD }

    private static final int MASK = WINDOW - 1;
    private static final byte GAP = 0, RECEIVED = 1, NACKED = 2;

    private final int pathId;
    private final FeedbackPolicy policy;
    private final byte[] state = new byte[WINDOW];
    private final byte[] reports = new byte[WINDOW];
    private final long[] gapSince = new long[WINDOW];

    private boolean any;
    private int largest;
    private long largestAt;
    private int floor; // lowest sequence still to be reported
    private int unreported;
    private long firstUnreportedAt;
    private int pendingGaps; // an upper bound: filled gaps are only found at the next write
    private long oldestGapAt;
    private long ackDelay;
    private long reorderThreshold;

    public FeedbackTracker(int pathId, FeedbackPolicy policy) {
        if (pathId < 0 || pathId > 0xffff) throw new IllegalArgumentException("path id " + pathId);
        this.pathId = pathId;
        this.policy = policy;
        this.ackDelay = policy.maxAckDelayNanos();
        this.reorderThreshold = policy.reorderThresholdNanos();
    }

    public int pathId() { return pathId; }

    /**
     * Tells the tracker this path's smoothed RTT (from the reverse direction's estimator), so it
     * acks within a quarter RTT and declares gaps lost after half an RTT (seed 003 §3.2.3).
     */
    public void setRtt(long smoothedRttNanos) {
        if (smoothedRttNanos <= 0) return;
        ackDelay = Math.clamp(smoothedRttNanos / 4, FeedbackPolicy.MIN_ACK_DELAY_NANOS, policy.maxAckDelayNanos());
        reorderThreshold = Math.max(smoothedRttNanos / 2, FeedbackPolicy.MIN_REORDER_THRESHOLD_NANOS);
    }

    public long reorderThresholdNanos() { return reorderThreshold; }

    /**
     * Records an authenticated message's path sequence. {@code elicitsFeedback} is false for
     * control messages, so feedback is never sent in answer to feedback alone (as QUIC's
     * ACK-only packets, RFC 9000 §13.2.1).
     */
    public Arrival onPacket(int seq, long nowNanos, boolean elicitsFeedback) {
        Arrival a;
        if (!any) {
            any = true;
            largest = seq;
            largestAt = nowNanos;
            floor = seq;
            mark(seq, RECEIVED);
            a = Arrival.NEW;
        } else {
            int d = seq - largest;
            if (d > 0) {
                advanceTo(seq, nowNanos);
                a = Arrival.NEW;
            } else if (d == 0) {
                a = Arrival.DUPLICATE;
            } else if (-d >= WINDOW) {
                a = Arrival.TOO_OLD;
            } else {
                // Inside the window every slot describes its own sequence; below the floor none is a gap.
                byte s = state[seq & MASK];
                if (s == RECEIVED) {
                    a = Arrival.DUPLICATE;
                } else {
                    a = s == NACKED ? Arrival.LATE_AFTER_NACK : Arrival.REORDERED;
                    mark(seq, RECEIVED);
                    if (seq - floor < 0) floor = seq; // report the late arrival too
                }
            }
        }
        if (elicitsFeedback && (a == Arrival.NEW || a == Arrival.REORDERED || a == Arrival.LATE_AFTER_NACK)) {
            if (unreported++ == 0) firstUnreportedAt = nowNanos;
        }
        return a;
    }

    private void advanceTo(int seq, long now) {
        int jump = seq - largest;
        int gaps = Math.min(jump - 1, WINDOW - 1);
        for (int s = seq - gaps; s != seq; s++) {
            mark(s, GAP);
            gapSince[s & MASK] = now;
        }
        if (gaps > 0) {
            if (pendingGaps == 0) oldestGapAt = now;
            pendingGaps += gaps;
        }
        mark(seq, RECEIVED);
        largest = seq;
        largestAt = now;
        if (largest - floor >= WINDOW) floor = largest - WINDOW + 1;
    }

    private void mark(int seq, byte s) {
        state[seq & MASK] = s;
        reports[seq & MASK] = 0;
    }

    /** Whether feedback should be sent now. */
    public boolean feedbackDue(long nowNanos) {
        return nowNanos - nextFeedbackAt() >= 0;
    }

    /** When feedback falls due if nothing else arrives; Long.MAX_VALUE if none is owed. */
    public long nextFeedbackAt() {
        long t = Long.MAX_VALUE;
        if (unreported >= policy.ackEveryPackets()) t = firstUnreportedAt;
        else if (unreported > 0) t = firstUnreportedAt + ackDelay;
        if (pendingGaps > 0) t = Math.min(t, oldestGapAt + reorderThreshold);
        return t;
    }

    /**
     * Writes the feedback block for this path into {@code out}: ACK and NACK ranges from the
     * largest down to the floor, declaring gaps older than the reorder threshold lost. Returns
     * false (and leaves {@code out} alone) if nothing was ever received.
     */
    public boolean writeFeedback(long nowNanos, FeedbackBlock out) {
        if (!any) return false;
        out.reset(pathId, largest, Math.max(0, nowNanos - largestAt) / 1000);
        int span = largest - floor;
        int pending = 0;
        long oldest = Long.MAX_VALUE;
        int runTop = largest;
        byte runKind = RECEIVED;
        int reported = 0; // how many sequences below largest are covered by the block
        boolean full = false;
        for (int d = 0; d <= span; d++) {
            int s = largest - d;
            int i = s & MASK;
            byte k = state[i];
            if (k == GAP) {
                if (nowNanos - gapSince[i] >= reorderThreshold) {
                    state[i] = k = NACKED;
                } else {
                    pending++;
                    oldest = Math.min(oldest, gapSince[i]);
                }
            }
            // A full block stops taking ranges but not judging gaps: the count and age of the gaps
            // still pending decide when feedback is next due, and a stale one made it due at once,
            // every round (a feedback storm on a receiving portal whenever losses filled a block).
            if (full) continue;
            if (d > 0 && k != runKind) {
                if (!closeRun(out, runKind, s + 1, runTop)) { full = true; continue; }
                runTop = s;
            }
            runKind = k;
            reported = d;
        }
        if (!full) {
            if (!closeRun(out, runKind, largest - reported, runTop)) reported = largest - runTop - 1;
        } else {
            reported = largest - runTop - 1;
        }
        for (int d = 0; d <= reported; d++) {
            int i = (largest - d) & MASK;
            if (state[i] != GAP && reports[i] < REPORTS) reports[i]++;
        }
        while (floor != largest && state[floor & MASK] != GAP && reports[floor & MASK] >= REPORTS) floor++;
        pendingGaps = pending;
        oldestGapAt = oldest;
        unreported = 0;
        return true;
    }

    private static boolean closeRun(FeedbackBlock out, byte kind, int first, int last) {
        return switch (kind) {
            case RECEIVED -> out.addAck(first, last);
            case NACKED -> out.addNack(first, last);
            default -> true; // a pending gap is neither acked nor lost yet
        };
    }
}
