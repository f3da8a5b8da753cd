package net.braid.testbed.impair;

/**
 * What one direction of the relay has done so far. Every received datagram, and every duplicate
 * made, ends up forwarded, dropped for one reason, or in {@code errors} (larger than a buffer
 * slot, no client to send back to yet, or the send failed), or is still waiting.
 */
public record DirectionCounters(
        long received, long forwarded, long duplicated, long droppedLoss, long droppedQueue, long droppedCut, long errors) {

    public static final DirectionCounters ZERO = new DirectionCounters(0, 0, 0, 0, 0, 0, 0);

    public long dropped() {
        return droppedLoss + droppedQueue + droppedCut;
    }

    /** {@code received=.. forwarded=..} with each key behind {@code prefix}, e.g. "up.". */
    String format(String prefix) {
        return prefix + "received=" + received + " " + prefix + "forwarded=" + forwarded + " " + prefix + "duplicated=" + duplicated
                + " " + prefix + "dropped_loss=" + droppedLoss + " " + prefix + "dropped_queue=" + droppedQueue
                + " " + prefix + "dropped_cut=" + droppedCut + " " + prefix + "errors=" + errors;
    }
}
