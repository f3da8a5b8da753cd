package net.braid.multipath;

/**
 * A delivery-rate controller after BBR v1 (Cardwell et al., ACM Queue 2016;
 * draft-cardwell-iccrg-bbr-congestion-control-00), compact: it models the path by its
 * bottleneck bandwidth (windowed maximum of delivery-rate samples over 10 round trips) and its
 * propagation RTT (windowed minimum over 10 s), and sends at pacing gain × bandwidth with at most
 * cwnd gain × BDP in flight. Loss is not a signal by itself, which is what the seed's NewReno
 * lacked on lossy radio links: random loss of a few percent halves NewReno again and again.
 *
 * <ul>
 *   <li>STARTUP: gains 2/ln 2 until the bandwidth stops growing by 25 % for 3 rounds;</li>
 *   <li>DRAIN: pacing gain ln 2 / 2 until in flight ≤ BDP;</li>
 *   <li>PROBE_BW: pacing gains cycle 1.25, 0.75, 1 × 6, a phase per min RTT; cwnd = 2 × BDP;</li>
 *   <li>PROBE_RTT: when the min RTT is 10 s old, 4 packets in flight for 200 ms and a round.</li>
 * </ul>
 * A loss takes its bytes off the window (Linux tcp_bbr's packet conservation); ACKs grow it
 * back toward the target. The target adds, as Linux does, an allowance for acks that arrive in
 * bursts and for sending in batches: without it a path whose min RTT is shorter than the
 * feedback interval is held to a few packets per burst.
 */
public final class BbrLikeController implements CongestionController {
    public enum Mode { STARTUP, DRAIN, PROBE_BW, PROBE_RTT }

    static final double HIGH_GAIN = 2 / Math.log(2);
    static final double[] CYCLE = {1.25, 0.75, 1, 1, 1, 1, 1, 1};
    static final int BW_WINDOW_ROUNDS = 10;
    static final long MIN_RTT_WINDOW_NANOS = 10_000_000_000L;
    static final long PROBE_RTT_NANOS = 200_000_000L;
    static final int MIN_WINDOW_PACKETS = 4;
    static final int INITIAL_WINDOW_PACKETS = 10;
    static final double CWND_GAIN = 2;
    /** Rounds each of the two ack-aggregation slots spans (Linux bbr_extra_acked_win_rtts). */
    static final int EXTRA_ACKED_WINDOW_ROUNDS = 5;
    /** The aggregation allowance never exceeds this much of the bandwidth (Linux bbr_extra_acked_max_us). */
    static final long EXTRA_ACKED_MAX_NANOS = 100_000_000L;
    /** The sender works in batches of about this much time at the pacing rate (Linux's pacing shift of 10). */
    static final long SEND_QUANTUM_NANOS = 1_000_000L;
    /**
     * Linux allows 64 kB (a TSO burst); braid sends datagram by datagram and a bandwidth
     * overestimated from a token bucket's burst (334 Mbit/s seen on a 50 Mbit/s tbf) would
     * otherwise add 125 kB to the window.
     */
    static final long MAX_SEND_QUANTUM_BYTES = 16 * 1024;

    private final int mss;
    private final RttEstimator rtt;
    private final WindowedFilter bw = WindowedFilter.max(BW_WINDOW_ROUNDS);
    private Mode mode = Mode.STARTUP;
    private double pacingGain = HIGH_GAIN;
    private double cwndGain = HIGH_GAIN;
    private long cwnd;
    private long pacingRate;
    private long minRtt = -1;
    private long minRttStamp;
    private long roundCount;
    private long nextRoundDelivered;
    private boolean roundStart;
    private long fullBw;
    private int fullBwRounds;
    private boolean filledPipe;
    private int cycleIndex;
    private long cycleStamp;
    private long probeRttDoneAt;
    private boolean probeRttRoundDone;
    private long priorCwnd;
    private final long[] extraAcked = new long[2];
    private int extraAckedSlot;
    private int extraAckedRounds;
    private long ackEpochStamp;
    private long ackEpochAcked;

    public BbrLikeController(int maxDatagramBytes, RttEstimator rtt) {
        if (maxDatagramBytes <= 0) throw new IllegalArgumentException("mss " + maxDatagramBytes);
        this.mss = maxDatagramBytes;
        this.rtt = rtt;
        this.cwnd = (long) INITIAL_WINDOW_PACKETS * mss;
    }

    public Mode mode() { return mode; }

    /** Bottleneck bandwidth estimate in bytes per second; 0 before the first sample. */
    public long bottleneckBandwidth() { return bw.get(); }

    /** Propagation RTT estimate; -1 before the first sample. */
    public long minRtt() { return minRtt; }

    public long roundCount() { return roundCount; }

    @Override public long congestionWindow() { return cwnd; }

    @Override
    public long pacingRate() {
        if (pacingRate > 0) return pacingRate;
        // No bandwidth sample yet: the initial window per RTT (1 ms when none is known), at high gain.
        long r = rtt.hasSample() ? rtt.smoothed() : 1_000_000L;
        return (long) (HIGH_GAIN * INITIAL_WINDOW_PACKETS * mss * 1e9 / r);
    }

    @Override public void onPacketSent(long nowNanos, int bytes, long bytesInFlight) {}

    @Override
    public void onAck(long nowNanos, RateSample s, long bytesInFlight) {
        roundStart = false;
        if (s.priorDelivered() >= nextRoundDelivered) {
            nextRoundDelivered = s.totalDelivered();
            roundCount++;
            roundStart = true;
        }
        long rate = s.deliveryRate();
        boolean valid = s.intervalNanos() > 0 && (minRtt < 0 || s.intervalNanos() >= minRtt);
        if (valid && (!s.appLimited() || rate >= bw.get())) bw.update(roundCount, rate);

        updateAckAggregation(nowNanos, s.bytes());

        boolean expired = nowNanos - minRttStamp > MIN_RTT_WINDOW_NANOS;
        if (s.rttNanos() > 0 && (minRtt < 0 || s.rttNanos() <= minRtt || expired && mode != Mode.PROBE_RTT)) {
            if (expired && mode != Mode.PROBE_RTT && minRtt >= 0) enterProbeRtt();
            minRtt = s.rttNanos();
            minRttStamp = nowNanos;
        }

        if (!filledPipe && roundStart && !s.appLimited()) {
            if (bw.get() >= fullBw * 1.25) {
                fullBw = bw.get();
                fullBwRounds = 0;
            } else if (++fullBwRounds >= 3) {
                filledPipe = true;
            }
        }
        switch (mode) {
            case STARTUP -> { if (filledPipe) { mode = Mode.DRAIN; pacingGain = 1 / HIGH_GAIN; cwndGain = HIGH_GAIN; } }
            case DRAIN -> { if (bytesInFlight <= bdp(1)) enterProbeBw(nowNanos); }
            case PROBE_BW -> advanceCycle(nowNanos, bytesInFlight);
            case PROBE_RTT -> probeRtt(nowNanos, s, bytesInFlight);
        }

        long target = bdp(cwndGain);
        if (target == 0) target = (long) INITIAL_WINDOW_PACKETS * mss;
        else target += aggregationAllowance() + 3 * sendQuantum();
        if (filledPipe) cwnd = Math.min(cwnd + s.bytes(), target);
        else if (cwnd < target || s.totalDelivered() < (long) INITIAL_WINDOW_PACKETS * mss) cwnd += s.bytes();
        cwnd = Math.max(cwnd, (long) MIN_WINDOW_PACKETS * mss);
        if (mode == Mode.PROBE_RTT) cwnd = Math.min(cwnd, (long) MIN_WINDOW_PACKETS * mss);

        long paced = (long) (pacingGain * bw.get());
        if (paced > 0 && (filledPipe || paced > pacingRate)) pacingRate = paced;
    }

    private long bdp(double gain) {
        if (bw.get() == 0 || minRtt < 0) return 0;
        return (long) (gain * bw.get() * minRtt / 1e9);
    }

    /**
     * Ack aggregation (Linux tcp_bbr since 4.19, bbr_update_ack_aggregation): how many bytes
     * were acked beyond what the bandwidth estimate explains since the current epoch began,
     * kept as a maximum over 5 to 10 rounds. Feedback that arrives in bursts (the engine's rounds,
     * a receiver's ack delay, Wi-Fi aggregation) leaves the path idle between bursts unless
     * the window holds that many bytes more than 2 × BDP. On a path whose min RTT is below the
     * burst interval the window otherwise shrinks with the delivery rate it limits, round after
     * round, to the 4-packet floor.
     */
    private void updateAckAggregation(long now, long acked) {
        if (roundStart && ++extraAckedRounds >= EXTRA_ACKED_WINDOW_ROUNDS) {
            extraAckedRounds = 0;
            extraAckedSlot ^= 1;
            extraAcked[extraAckedSlot] = 0;
        }
        long expected = (long) (bw.get() * (double) (now - ackEpochStamp) / 1e9);
        // At or below what the bandwidth explains: a new epoch starts here.
        if (ackEpochAcked <= expected || ackEpochAcked + acked >= (1L << 20)) {
            ackEpochAcked = 0;
            ackEpochStamp = now;
            expected = 0;
        }
        ackEpochAcked += acked;
        long extra = Math.min(ackEpochAcked - expected, cwnd);
        if (extra > extraAcked[extraAckedSlot]) extraAcked[extraAckedSlot] = extra;
    }

    /** Bytes added to the window for ack aggregation: the larger slot, at most 100 ms of bandwidth. */
    long aggregationAllowance() {
        long cap = (long) (bw.get() * (EXTRA_ACKED_MAX_NANOS / 1e9));
        return Math.min(Math.max(extraAcked[0], extraAcked[1]), cap);
    }

    /**
     * Linux's quantization budget (bbr_quantization_budget: 3 × the TSO burst): the engine
     * hands packets to the socket in batches, so in flight jumps by up to a batch at a time.
     */
    private long sendQuantum() {
        long q = (long) (pacingRate() * (SEND_QUANTUM_NANOS / 1e9));
        return Math.clamp(q, 2L * mss, Math.max(2L * mss, MAX_SEND_QUANTUM_BYTES));
    }

    private void enterProbeBw(long now) {
        mode = Mode.PROBE_BW;
        cwndGain = CWND_GAIN;
        // Linux picks a random phase other than the drain phase; a fixed cruising phase keeps runs reproducible.
        cycleIndex = 2;
        cycleStamp = now;
        pacingGain = CYCLE[cycleIndex];
    }

    private void advanceCycle(long now, long inFlight) {
        boolean elapsed = now - cycleStamp > minRtt;
        if (elapsed || pacingGain < 1 && inFlight <= bdp(1)) {
            cycleIndex = (cycleIndex + 1) % CYCLE.length;
            cycleStamp = now;
            pacingGain = CYCLE[cycleIndex];
        }
    }

    private void enterProbeRtt() {
        mode = Mode.PROBE_RTT;
        pacingGain = 1;
        cwndGain = 1;
        priorCwnd = cwnd;
        probeRttDoneAt = 0;
    }

    private void probeRtt(long now, RateSample s, long inFlight) {
        if (probeRttDoneAt == 0) {
            if (inFlight <= (long) MIN_WINDOW_PACKETS * mss) {
                probeRttDoneAt = now + PROBE_RTT_NANOS;
                probeRttRoundDone = false;
                nextRoundDelivered = s.totalDelivered();
            }
            return;
        }
        if (roundStart) probeRttRoundDone = true;
        if (probeRttRoundDone && now - probeRttDoneAt >= 0) {
            minRttStamp = now;
            cwnd = Math.max(cwnd, priorCwnd);
            if (filledPipe) enterProbeBw(now);
            else {
                mode = Mode.STARTUP;
                pacingGain = cwndGain = HIGH_GAIN;
            }
        }
    }

    @Override
    public void onLoss(long nowNanos, int bytes, long sentAtNanos, long bytesInFlight) {
        cwnd = Math.max(cwnd - bytes, (long) MIN_WINDOW_PACKETS * mss);
    }

    @Override
    public void onIdle(long nowNanos) {
        // Restarting from idle: send at the estimated bandwidth, not a leftover probing gain.
        if (mode == Mode.PROBE_BW && bw.get() > 0) pacingRate = bw.get();
    }

    @Override public long bandwidthEstimate() { return bw.get(); }

    @Override public String name() { return "bbr"; }
}
