package net.braid.interpose.tcp;

/** The retransmission timeout of RFC 6298 §2: SRTT, RTTVAR, clamping and exponential backoff. */
final class RttEstimator {
    /** Clock granularity G of RFC 6298 §2: our timers are driven by the event loop's ticks. */
    private static final long GRANULARITY = 1_000_000;
    private final long minRto;
    private final long maxRto;
    private long srtt = -1;
    private long rttvar;
    private long rto;
    private int backoffs;

    RttEstimator(long initialRto, long minRto, long maxRto) {
        this.minRto = minRto;
        this.maxRto = maxRto;
        this.rto = initialRto;
    }

    /** RFC 6298 §2.2–2.3 with α = 1/8, β = 1/4; a fresh sample also ends the backoff (§5.7). */
    void sample(long rtt) {
        if (srtt < 0) {
            srtt = rtt;
            rttvar = rtt / 2;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - rtt)) / 4;
            srtt = (7 * srtt + rtt) / 8;
        }
        rto = Math.clamp(srtt + Math.max(GRANULARITY, 4 * rttvar), minRto, maxRto);
        backoffs = 0;
    }

    /** RFC 6298 §5.5: the timer expired, double the RTO up to the maximum. */
    void backOff() {
        rto = Math.min(maxRto, rto * 2);
        backoffs++;
    }

    long rto() {
        return rto;
    }

    /** Consecutive expiries since the last fresh sample or new acknowledgment. */
    int backoffs() {
        return backoffs;
    }

    /**
     * A cumulative ACK of new data shows the path works again: the RTO returns to the value the
     * estimate gives. Under Karn's rule alone it would stay doubled until data beyond every
     * retransmission were timed, which after a loss burst can take many backed-off timeouts.
     */
    void acknowledged() {
        if (backoffs > 0 && srtt >= 0) rto = Math.clamp(srtt + Math.max(GRANULARITY, 4 * rttvar), minRto, maxRto);
        backoffs = 0;
    }

    long srtt() {
        return srtt;
    }
}
