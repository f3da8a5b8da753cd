package net.braid.multipath;

/**
 * Whether one path is alive, from signs of life and time alone.
 *
 * <pre>
 *   UP ──quiet ≥ suspect──▶ SUSPECT ──quiet ≥ down──▶ DOWN ──reply──▶ PROBING ──N replies──▶ UP
 *    ▲                         │ heard                   ▲                  │ quiet ≥ down
 *    └─────────────────────────┘                         └──────────────────┘
 * </pre>
 *
 * A sign of life ({@link #onHeard}) is any authenticated message received on the path, or
 * feedback that acknowledges a sequence sent on it. While SUSPECT a keepalive goes out every
 * half suspect interval, so a live path answers well before the down deadline; that deadline,
 * max(3 × SRTT, 300 ms), is what the issue asks. A quiet UP path sends a keepalive once per suspect
 * interval so that an idle tunnel still notices failure. A DOWN path is probed at 100 ms, doubling
 * to 1 s; the first reply makes it PROBING and asks for the next probe at once, so with N = 2 it
 * carries traffic again about one RTT after the link returns ("used again as soon as it proves
 * itself").
 */
public final class PathLiveness {
    private final LivenessPolicy policy;
    private final RttEstimator rtt;
    private PathStatus status;
    private long lastHeard;
    private long lastAcked;
    private long lastProbe;
    private long probeInterval;
    private int replies;
    private int downProbes;
    private boolean probeNow;

    /** A path starts DOWN (probing at once) unless the caller knows it works, e.g. from the handshake. */
    public PathLiveness(LivenessPolicy policy, RttEstimator rtt, PathStatus initial, long nowNanos) {
        this.policy = policy;
        this.rtt = rtt;
        this.status = initial == PathStatus.UP ? PathStatus.UP : PathStatus.DOWN;
        this.lastHeard = nowNanos;
        this.lastAcked = nowNanos;
        this.lastProbe = nowNanos;
        this.probeInterval = policy.firstProbeIntervalNanos();
        this.probeNow = status == PathStatus.DOWN;
    }

    public PathStatus status() { return status; }

    public long lastHeard() { return lastHeard; }

    public long suspectAfter() {
        return Math.max((long) (policy.suspectRtts() * rtt.smoothed()), policy.minSuspectNanos());
    }

    public long downAfter() {
        return Math.max((long) (policy.downRtts() * rtt.smoothed()), policy.minDownNanos());
    }

    /** A sign of life. Returns the status after it. */
    public PathStatus onHeard(long nowNanos) {
        lastHeard = nowNanos;
        switch (status) {
            case UP -> {}
            case SUSPECT -> status = PathStatus.UP;
            case DOWN, PROBING -> {
                if (++replies >= policy.repliesToComeUp()) {
                    status = PathStatus.UP;
                    probeInterval = policy.firstProbeIntervalNanos();
                } else {
                    status = PathStatus.PROBING;
                    probeNow = true; // prove it again at once rather than after the backoff
                }
            }
        }
        return status;
    }

    /**
     * Feedback acked something sent on this path: a sign of life that also proves the sending
     * direction, and gives the sender a fresh RTT sample. Returns the status after it.
     */
    public PathStatus onAcked(long nowNanos) {
        lastAcked = nowNanos;
        return onHeard(nowNanos);
    }

    /** Applies the silence timers. Returns the status after them. */
    public PathStatus onTimer(long nowNanos) {
        long quiet = nowNanos - lastHeard;
        switch (status) {
            case UP -> {
                if (quiet >= downAfter()) goDown(nowNanos);
                else if (quiet >= suspectAfter()) status = PathStatus.SUSPECT;
            }
            case SUSPECT -> { if (quiet >= downAfter()) goDown(nowNanos); }
            case PROBING -> { if (quiet >= downAfter()) goDown(nowNanos); }
            case DOWN -> {}
        }
        return status;
    }

    private void goDown(long now) {
        status = PathStatus.DOWN;
        replies = 0;
        downProbes = 0;
        probeInterval = policy.firstProbeIntervalNanos();
        lastProbe = now;
        probeNow = true; // the first probe at once, then 100 ms, 200 ms, … up to the maximum
    }

    /** Whether a keepalive or probe should be sent on this path now (after {@link #onTimer}). */
    public boolean probeDue(long nowNanos) {
        return nowNanos - nextProbeAt() >= 0;
    }

    /** The caller sent a keepalive or probe on this path. */
    public void onProbeSent(long nowNanos) {
        if (status == PathStatus.DOWN && downProbes++ > 0) {
            probeInterval = Math.min(probeInterval * 2, policy.maxProbeIntervalNanos());
        }
        probeNow = false;
        lastProbe = nowNanos;
    }

    /** When the next keepalive or probe is due. */
    public long nextProbeAt() {
        if (probeNow) return lastProbe;
        return switch (status) {
            // Keyed to acks, not to arrivals: a path that only carries the other side's traffic
            // would otherwise never send, and its sender would keep the RTT and bandwidth of its
            // first probes (the scheduler then judged an idle 0.3 ms path by a 46 ms SRTT).
            case UP -> Math.max(lastAcked, lastProbe) + suspectAfter();
            case SUSPECT -> lastProbe + suspectAfter() / 2;
            case PROBING -> lastProbe + Math.max(rtt.smoothed(), policy.firstProbeIntervalNanos());
            case DOWN -> lastProbe + probeInterval;
        };
    }

    /** When {@link #onTimer} may next change the status; Long.MAX_VALUE while DOWN. */
    public long nextTimerAt() {
        return switch (status) {
            case UP -> lastHeard + suspectAfter();
            case SUSPECT, PROBING -> lastHeard + downAfter();
            case DOWN -> Long.MAX_VALUE;
        };
    }
}
