package net.braid.multipath;

/** The answer of {@link PathScheduler#pick}, reused between calls. */
public final class SchedulerDecision {
    public enum Kind {
        /** Send the packet now on {@link #pathIndex()}. */
        SEND,
        /** Keep the packet queued; ask again at {@link #waitUntil()} or on the next feedback. */
        WAIT,
        /** No path carries traffic. */
        NO_PATH
    }

    Kind kind = Kind.NO_PATH;
    int pathIndex = -1;
    long waitUntil;
    long expectedDelivery;

    public Kind kind() { return kind; }
    /** Index into the list given to the scheduler, for SEND. */
    public int pathIndex() { return pathIndex; }
    /** For WAIT. */
    public long waitUntil() { return waitUntil; }
    /** For SEND: when the packet is expected to arrive. */
    public long expectedDelivery() { return expectedDelivery; }

    SchedulerDecision send(int index, long delivery) {
        kind = Kind.SEND;
        pathIndex = index;
        expectedDelivery = delivery;
        return this;
    }

    SchedulerDecision waitUntil(long t) {
        kind = Kind.WAIT;
        pathIndex = -1;
        waitUntil = t;
        return this;
    }

    SchedulerDecision none() {
        kind = Kind.NO_PATH;
        pathIndex = -1;
        return this;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SEND -> "SEND path#" + pathIndex + " arriving " + expectedDelivery;
            case WAIT -> "WAIT until " + waitUntil;
            case NO_PATH -> "NO_PATH";
        };
    }
}
