package net.braid.multipath;

/**
 * The sending side of one path: it remembers what was sent ({@link SentPacketLedger}), turns
 * the peer's feedback into ACK, loss and RTT events for the {@link RttEstimator} and the
 * {@link CongestionController}, declares lost what no feedback mentions for
 * max(3 × SRTT, {@link #MIN_LOSS_TIMEOUT_NANOS}) (the seed's sender timeout, 003 §3.2.3, so a
 * lost NACK cannot stall the window), and paces.
 *
 * <p>Only data messages (type 4, keepalives included) go in the ledger; control messages use a
 * path sequence but are neither counted in flight nor expected to be acknowledged.
 */
public final class PathSender {
    public static final long MIN_LOSS_TIMEOUT_NANOS = 100_000_000L;
    /** Pacing may fall this far behind before the lost time is forfeited: bounds bursts after a pause. */
    public static final long PACING_CREDIT_NANOS = 1_000_000L;

    private final int pathId;
    private final RttEstimator rtt;
    private final CongestionController cc;
    private final SentPacketLedger ledger;
    private final RateSample sample = new RateSample();
    /**
     * Pacing: the last packet's paced start and size. The next send time is derived from them
     * with the controller's current rate, so a rate that rises (a path that was idle and is now
     * needed) shortens a wait already begun instead of keeping the old, slow one.
     */
    private long paceBase = Long.MIN_VALUE;
    private int paceBytes;
    private long lastSentAt = Long.MIN_VALUE;
    private long packetsAcked;
    private long packetsLost;

    public PathSender(int pathId, RttEstimator rtt, CongestionController cc, SentPacketLedger ledger) {
        this.pathId = pathId;
        this.rtt = rtt;
        this.cc = cc;
        this.ledger = ledger;
    }

    /** A path with the default controller and a ledger of 8192 packets. */
    public static PathSender create(int pathId, int maxDatagramBytes, CongestionControl kind) {
        RttEstimator rtt = new RttEstimator();
        return new PathSender(pathId, rtt, kind.create(maxDatagramBytes, rtt), new SentPacketLedger(8192));
    }

    public int pathId() { return pathId; }
    public RttEstimator rtt() { return rtt; }
    public CongestionController controller() { return cc; }
    public long bytesInFlight() { return ledger.bytesInFlight(); }
    public long congestionWindow() { return cc.congestionWindow(); }
    public long packetsAcked() { return packetsAcked; }
    public long packetsLost() { return packetsLost; }

    /** Earliest time pacing allows the next packet; Long.MIN_VALUE before the first. */
    public long nextSendTime() {
        if (paceBase == Long.MIN_VALUE) return Long.MIN_VALUE;
        long rate = cc.pacingRate();
        return rate > 0 ? paceBase + (long) (paceBytes * 1e9 / rate) : paceBase;
    }

    /** Whether a packet of {@code bytes} fits the window and pacing allows it now. */
    public boolean canSend(int bytes, long nowNanos) {
        long next = nextSendTime();
        return hasWindowFor(bytes) && (next == Long.MIN_VALUE || nowNanos - next >= 0);
    }

    /** Window room: a packet may go while in flight is below the window (so one MTU never blocks). */
    public boolean hasWindowFor(int bytes) {
        return ledger.bytesInFlight() + bytes <= cc.congestionWindow() || ledger.bytesInFlight() == 0;
    }

    /** Records a data message sent on this path with its path sequence. */
    public void onPacketSent(int sequence, int bytes, long nowNanos) {
        if (ledger.bytesInFlight() == 0 && lastSentAt != Long.MIN_VALUE && nowNanos - lastSentAt > rtt.smoothed()) {
            cc.onIdle(nowNanos);
        }
        int evicted = ledger.onSent(sequence, bytes, nowNanos);
        if (evicted > 0) lost(nowNanos, evicted, nowNanos);
        cc.onPacketSent(nowNanos, bytes, ledger.bytesInFlight());
        lastSentAt = nowNanos;
        if (cc.pacingRate() > 0) {
            long next = nextSendTime();
            paceBase = next == Long.MIN_VALUE ? nowNanos : Math.max(next, nowNanos - PACING_CREDIT_NANOS);
            paceBytes = bytes;
        }
    }

    /** No data was waiting while the window had room: rate samples are lower bounds until then. */
    public void onAppLimited() {
        ledger.markAppLimited();
    }

    /**
     * Applies one feedback block for this path (the caller matched {@link FeedbackBlock#pathId()}).
     * Returns the number of packets newly acknowledged.
     */
    public int onFeedback(FeedbackBlock b, long nowNanos) {
        if (!ledger.hasSent()) return 0;
        int largest = b.largest();
        if (ledger.isInFlight(largest)) {
            rtt.onSample(nowNanos - ledger.sentAt(largest), b.holdMicros() * 1000, nowNanos);
        }
        int acked = 0;
        for (int i = 0; i < b.ackCount(); i++) {
            int lo = clampLow(b.ackFirst(i));
            int hi = clampHigh(b.ackLast(i));
            for (int s = lo; s - hi <= 0; s++) {
                if (ledger.onAcked(s, nowNanos, sample)) {
                    acked++;
                    cc.onAck(nowNanos, sample, ledger.bytesInFlight());
                }
            }
        }
        packetsAcked += acked;
        for (int i = 0; i < b.nackCount(); i++) {
            int lo = clampLow(b.nackFirst(i));
            int hi = clampHigh(b.nackLast(i));
            for (int s = lo; s - hi <= 0; s++) {
                if (!ledger.isInFlight(s)) continue;
                long sentAt = ledger.sentAt(s);
                lost(nowNanos, ledger.onLost(s), sentAt);
            }
        }
        return acked;
    }

    // Iterate only where packets can be in flight, however wide the peer's ranges.
    private int clampLow(int seq) {
        int oldest = ledger.oldest();
        return seq - oldest < 0 ? oldest : seq;
    }

    private int clampHigh(int seq) {
        int highest = ledger.highestSent();
        return seq - highest > 0 ? highest : seq;
    }

    /** Loss by timeout; call on the engine's timer, at latest at {@link #nextTimeoutAt()}. */
    public void onTimer(long nowNanos) {
        long timeout = lossTimeout();
        while (ledger.packetsInFlight() > 0) {
            int s = ledger.oldest();
            long sentAt = ledger.sentAt(s);
            if (nowNanos - sentAt < timeout) break;
            int bytes = ledger.onLost(s);
            if (bytes < 0) break; // nothing the ledger can find is in flight: never spin under the peer's lock
            lost(nowNanos, bytes, sentAt);
        }
    }

    /** When the oldest packet in flight times out; Long.MAX_VALUE if none is in flight. */
    public long nextTimeoutAt() {
        return ledger.packetsInFlight() == 0 ? Long.MAX_VALUE : ledger.sentAt(ledger.oldest()) + lossTimeout();
    }

    public long lossTimeout() {
        return Math.max(3 * rtt.smoothed(), MIN_LOSS_TIMEOUT_NANOS);
    }

    private void lost(long now, int bytes, long sentAt) {
        packetsLost++;
        cc.onLoss(now, bytes, sentAt, ledger.bytesInFlight());
    }
}
