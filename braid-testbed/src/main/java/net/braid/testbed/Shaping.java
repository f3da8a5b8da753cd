package net.braid.testbed;

import java.time.Duration;

/**
 * A token-bucket rate limit (tc tbf) for one side's egress. The bucket holds about 10 ms of
 * traffic (never less than two full-size frames, so a 1500-byte packet always fits), and the queue
 * holds 50 ms: enough for one TCP flow to fill the link without an RTT inflated past belief.
 */
public record Shaping(long bitsPerSecond, long burstBytes, Duration latency) {
    static final long MIN_BURST_BYTES = 2 * 1514;
    static final Duration DEFAULT_LATENCY = Duration.ofMillis(50);

    public Shaping {
        if (bitsPerSecond < 8_000) {
            throw new IllegalArgumentException("rate below 8 kbit/s: " + bitsPerSecond);
        }
        if (burstBytes < 1514) {
            throw new IllegalArgumentException("burst must hold a full-size frame (1514 bytes): " + burstBytes);
        }
        if (latency.isNegative() || latency.isZero()) {
            throw new IllegalArgumentException("latency must be positive: " + latency);
        }
    }

    public static Shaping forRate(long bitsPerSecond) {
        long tenMillis = bitsPerSecond / 8 / 100;
        return new Shaping(bitsPerSecond, Math.max(MIN_BURST_BYTES, tenMillis), DEFAULT_LATENCY);
    }

    /** The tc arguments after {@code root}: {@code tbf rate ...bit burst ... latency ...us}. */
    String[] tbfArguments() {
        return new String[] {
            "tbf", "rate", bitsPerSecond + "bit", "burst", Long.toString(burstBytes),
            "latency", (latency.toNanos() / 1000) + "us"
        };
    }
}
