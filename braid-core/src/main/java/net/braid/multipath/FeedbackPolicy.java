package net.braid.multipath;

/**
 * When a receiver sends path feedback and when it gives up on a gap.
 *
 * @param ackEveryPackets        feedback after this many feedback-eliciting packets (QUIC: 2, RFC 9000 §13.2.2)
 * @param maxAckDelayNanos       … or this long after the first unreported one (QUIC's max_ack_delay, 25 ms)
 * @param reorderThresholdNanos  a gap this old is declared lost (NACK) while no RTT is known
 */
public record FeedbackPolicy(int ackEveryPackets, long maxAckDelayNanos, long reorderThresholdNanos) {
    public static final FeedbackPolicy DEFAULT = new FeedbackPolicy(2, 25_000_000L, 50_000_000L);
    /** Never declare a gap lost sooner than this, however short the RTT. */
    public static final long MIN_REORDER_THRESHOLD_NANOS = 2_000_000L;
    /** Never wait less than this for a second packet. */
    public static final long MIN_ACK_DELAY_NANOS = 1_000_000L;

    public FeedbackPolicy {
        if (ackEveryPackets < 1 || maxAckDelayNanos <= 0 || reorderThresholdNanos <= 0)
            throw new IllegalArgumentException("feedback policy " + ackEveryPackets + "/" + maxAckDelayNanos + "/" + reorderThresholdNanos);
    }
}
