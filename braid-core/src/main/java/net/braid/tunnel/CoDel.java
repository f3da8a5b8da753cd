package net.braid.tunnel;

/**
 * Active queue management for the shared queue, after CoDel (RFC 8289 §§4–5): when the head
 * packet's sojourn time has stayed at or above {@code target} for a whole {@code interval}, drop
 * from the head, then ever more often (interval / √count) until the sojourn falls below target.
 * So a saturated tunnel keeps a short standing queue and the inner flows see the drops they
 * need to slow down, instead of a queue that only fills. Not thread-safe: the consumer owns it.
 */
final class CoDel {
    static final long TARGET_NANOS = 5_000_000L;
    static final long INTERVAL_NANOS = 100_000_000L;

    private final long target;
    private final long interval;
    private long firstAboveAt;
    private boolean dropping;
    private long dropNext;
    private int count;

    CoDel(long targetNanos, long intervalNanos) {
        this.target = targetNanos;
        this.interval = intervalNanos;
    }

    CoDel() {
        this(TARGET_NANOS, INTERVAL_NANOS);
    }

    /** Whether to drop the head packet that has waited {@code sojournNanos}. */
    boolean shouldDrop(long sojournNanos, long nowNanos) {
        if (sojournNanos < target) {
            firstAboveAt = 0;
            dropping = false;
            return false;
        }
        if (firstAboveAt == 0) {
            firstAboveAt = nowNanos + interval;
            return false;
        }
        if (!dropping) {
            if (nowNanos - firstAboveAt < 0) return false;
            dropping = true;
            // Re-entering soon after the last episode: resume near the old rate (RFC 8289 §5.5).
            count = count > 2 && nowNanos - dropNext < 16 * interval ? count - 2 : 1;
            dropNext = nowNanos + controlLaw(count);
            return true;
        }
        if (nowNanos - dropNext >= 0) {
            count++;
            dropNext += controlLaw(count);
            return true;
        }
        return false;
    }

    boolean dropping() { return dropping; }

    private long controlLaw(int n) {
        return (long) (interval / Math.sqrt(n));
    }
}
