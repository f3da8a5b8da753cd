package net.braid.testbed.impair;

import java.time.Duration;
import java.util.Objects;

/**
 * What one direction of the {@link ImpairmentRelay} does to each datagram, in this order: cut
 * (drop all), random loss, the rate limit with its bounded queue (a datagram that does not fit is
 * dropped), then a fixed delay plus jitter. Unless {@code reorder} is set a datagram never leaves
 * before one that arrived earlier, so jitter bunches datagrams rather than reordering them, as
 * netem does once a rate is set. Duplication sends a second copy through the same steps.
 *
 * @param rateBitsPerSecond 0 for no limit
 * @param queueBytes the rate limiter's queue; 0 means 50 ms at the rate (at least two 1514-byte
 *     frames), the queue {@link net.braid.testbed.Shaping} gives tc tbf
 */
public record Impairment(
        Duration delay,
        Duration jitter,
        JitterShape jitterShape,
        boolean reorder,
        LossModel loss,
        long rateBitsPerSecond,
        long queueBytes,
        double duplicatePercent) {

    /** Jitter drawn uniformly from [-jitter, +jitter], or normally with jitter as the standard deviation. */
    public enum JitterShape { UNIFORM, NORMAL }

    /** Passes everything through untouched. */
    public static final Impairment NONE =
            new Impairment(Duration.ZERO, Duration.ZERO, JitterShape.UNIFORM, false, LossModel.NONE, 0, 0, 0);

    static final long MIN_QUEUE_BYTES = 2 * 1514;

    public Impairment {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(jitter, "jitter");
        Objects.requireNonNull(jitterShape, "jitterShape");
        Objects.requireNonNull(loss, "loss");
        if (delay.isNegative() || jitter.isNegative()) {
            throw new IllegalArgumentException("delay and jitter must not be negative: " + delay + ", " + jitter);
        }
        if (rateBitsPerSecond < 0 || queueBytes < 0) {
            throw new IllegalArgumentException("rate and queue must not be negative: " + rateBitsPerSecond + ", " + queueBytes);
        }
        if (rateBitsPerSecond > 0 && rateBitsPerSecond < 8_000) {
            throw new IllegalArgumentException("rate below 8 kbit/s: " + rateBitsPerSecond);
        }
        LossModel.requirePercent("duplicate", duplicatePercent);
    }

    public Impairment withDelay(Duration delay) {
        return new Impairment(delay, jitter, jitterShape, reorder, loss, rateBitsPerSecond, queueBytes, duplicatePercent);
    }

    public Impairment withJitter(Duration jitter) {
        return new Impairment(delay, jitter, jitterShape, reorder, loss, rateBitsPerSecond, queueBytes, duplicatePercent);
    }

    public Impairment withJitter(Duration jitter, JitterShape shape) {
        return new Impairment(delay, jitter, shape, reorder, loss, rateBitsPerSecond, queueBytes, duplicatePercent);
    }

    public Impairment withReorder(boolean reorder) {
        return new Impairment(delay, jitter, jitterShape, reorder, loss, rateBitsPerSecond, queueBytes, duplicatePercent);
    }

    public Impairment withLoss(LossModel loss) {
        return new Impairment(delay, jitter, jitterShape, reorder, loss, rateBitsPerSecond, queueBytes, duplicatePercent);
    }

    /** Independent random loss of {@code percent}. */
    public Impairment withLoss(double percent) {
        return withLoss(percent == 0 ? LossModel.NONE : new LossModel.Random(percent));
    }

    public Impairment withRate(long bitsPerSecond) {
        return new Impairment(delay, jitter, jitterShape, reorder, loss, bitsPerSecond, queueBytes, duplicatePercent);
    }

    public Impairment withQueue(long bytes) {
        return new Impairment(delay, jitter, jitterShape, reorder, loss, rateBitsPerSecond, bytes, duplicatePercent);
    }

    public Impairment withDuplicate(double percent) {
        return new Impairment(delay, jitter, jitterShape, reorder, loss, rateBitsPerSecond, queueBytes, percent);
    }

    /** The queue in bytes the rate limiter really uses (see {@code queueBytes}). */
    public long effectiveQueueBytes() {
        if (queueBytes > 0) {
            return queueBytes;
        }
        return Math.max(MIN_QUEUE_BYTES, rateBitsPerSecond / 8 / 20);
    }

    @Override
    public String toString() {
        return "delay=" + Units.formatDuration(delay) + " jitter=" + Units.formatDuration(jitter)
                + (jitterShape == JitterShape.NORMAL ? " normal" : "") + (reorder ? " reorder" : "")
                + " loss=" + loss + " rate=" + (rateBitsPerSecond == 0 ? "off" : Units.formatRate(rateBitsPerSecond))
                + " queue=" + effectiveQueueBytes() + "b duplicate=" + duplicatePercent + "%";
    }
}
