package net.braid.multipath;

/**
 * The seed's baseline (003 §3.2.3 "New Reno"): a window counted in packets, driven by ACKs and
 * NACKs of path sequences, with nothing retransmitted. Slow start adds one packet per packet
 * acknowledged; a loss (NACK, or the sender's timeout) halves the window and ends slow start;
 * congestion avoidance then adds one packet per full window acknowledged.
 *
 * <p>One change from the seed: a loss of a packet sent before the last reduction does not halve
 * again (the recovery period of RFC 6582 and RFC 9002 §7.3.2), since the NACKs of one burst of
 * losses arrive together and the seed would collapse the window to its floor. Pacing follows
 * RFC 9002 §7.7: 1.25 × cwnd / SRTT.
 */
public final class NewRenoController implements CongestionController {
    public static final int INITIAL_WINDOW_PACKETS = 10; // RFC 6928
    public static final int MIN_WINDOW_PACKETS = 2;

    private final int mss;
    private final RttEstimator rtt;
    private long cwnd = INITIAL_WINDOW_PACKETS; // packets
    private long ssthresh = Long.MAX_VALUE;
    private long ackedInWindow;
    private long recoveryStart = Long.MIN_VALUE;
    private boolean inRecovery;

    public NewRenoController(int maxDatagramBytes, RttEstimator rtt) {
        if (maxDatagramBytes <= 0) throw new IllegalArgumentException("mss " + maxDatagramBytes);
        this.mss = maxDatagramBytes;
        this.rtt = rtt;
    }

    @Override public long congestionWindow() { return cwnd * mss; }

    public long windowPackets() { return cwnd; }

    public long slowStartThresholdPackets() { return ssthresh; }

    public boolean inSlowStart() { return cwnd < ssthresh; }

    @Override
    public long pacingRate() {
        return (long) (1.25 * congestionWindow() * 1e9 / Math.max(rtt.smoothed(), 1));
    }

    @Override public void onPacketSent(long nowNanos, int bytes, long bytesInFlight) {}

    @Override
    public void onAck(long nowNanos, RateSample sample, long bytesInFlight) {
        if (inRecovery) {
            if (sample.sentAt() - recoveryStart <= 0) return; // sent before the reduction: no growth
            inRecovery = false;
        }
        if (cwnd < ssthresh) {
            cwnd++;
        } else if (++ackedInWindow >= cwnd) {
            ackedInWindow = 0;
            cwnd++;
        }
    }

    @Override
    public void onLoss(long nowNanos, int bytes, long sentAtNanos, long bytesInFlight) {
        if (inRecovery && sentAtNanos - recoveryStart <= 0) return;
        if (!inRecovery && recoveryStart != Long.MIN_VALUE && sentAtNanos - recoveryStart <= 0) return;
        inRecovery = true;
        recoveryStart = nowNanos;
        ssthresh = Math.max(cwnd / 2, MIN_WINDOW_PACKETS);
        cwnd = ssthresh;
        ackedInWindow = 0;
    }

    @Override public void onIdle(long nowNanos) {}

    @Override public String name() { return "newreno"; }
}
