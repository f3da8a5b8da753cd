package net.braid.multipath;

/**
 * The sender's record of one path's packets in flight: per path sequence, when it was sent, its
 * size and the delivery state at that moment (draft-cheng-iccrg-delivery-rate-estimation §3.2),
 * in a ring of fixed capacity. Sequences are sent in increasing serial order, possibly with holes
 * (control messages take a sequence but are not tracked). Nothing here allocates.
 */
public final class SentPacketLedger {
    private final int mask;
    private final int[] seq;
    private final long[] sentAt;
    private final int[] bytes;
    private final long[] deliveredAtSend;
    private final long[] deliveredTimeAtSend;
    private final long[] firstSentAtSend;
    private final boolean[] appLimitedAtSend;
    private final boolean[] inFlight;

    private boolean any;
    private int oldest; // no packet below this is in flight
    private int highest; // the highest sequence sent
    private int packetsInFlight;
    private long bytesInFlight;
    private long delivered;
    private long deliveredTime;
    private long firstSentTime;
    private long appLimitedUntil; // 0: not app-limited; else delivered count that ends the phase

    /** @param capacity packets remembered, a power of two; more in flight than this evicts the oldest */
    public SentPacketLedger(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) throw new IllegalArgumentException("capacity " + capacity);
        mask = capacity - 1;
        seq = new int[capacity];
        sentAt = new long[capacity];
        bytes = new int[capacity];
        deliveredAtSend = new long[capacity];
        deliveredTimeAtSend = new long[capacity];
        firstSentAtSend = new long[capacity];
        appLimitedAtSend = new boolean[capacity];
        inFlight = new boolean[capacity];
    }

    public int capacity() { return mask + 1; }
    public long bytesInFlight() { return bytesInFlight; }
    public int packetsInFlight() { return packetsInFlight; }
    /** Bytes acknowledged on this path so far. */
    public long delivered() { return delivered; }

    /**
     * Records a sent packet. Returns the bytes of the packets the ring had to forget (still in
     * flight a capacity or more below this sequence), which the caller treats as lost; usually 0.
     */
    public int onSent(int sequence, int size, long nowNanos) {
        if (size < 0) throw new IllegalArgumentException("size " + size);
        if (any && sequence - highest <= 0) throw new IllegalArgumentException("sequence " + sequence + " not above " + highest);
        int evicted = 0;
        int i = sequence & mask;
        if (inFlight[i]) evicted = forget(i);
        if (packetsInFlight == 0) {
            // Delivery-rate intervals start at the first send after the path went quiet.
            firstSentTime = nowNanos;
            deliveredTime = nowNanos;
            oldest = sequence;
        }
        if (!any) {
            any = true;
            oldest = sequence;
        }
        if (sequence - oldest >= capacity()) evicted += forgetBelow(sequence - mask);
        highest = sequence;
        seq[i] = sequence;
        sentAt[i] = nowNanos;
        bytes[i] = size;
        deliveredAtSend[i] = delivered;
        deliveredTimeAtSend[i] = deliveredTime;
        firstSentAtSend[i] = firstSentTime;
        appLimitedAtSend[i] = appLimitedUntil != 0;
        inFlight[i] = true;
        packetsInFlight++;
        bytesInFlight += size;
        return evicted;
    }

    /**
     * Marks the send as limited by the application (nothing queued while the window had room),
     * so rate samples until the packets now in flight are acked are flagged as lower bounds.
     */
    public void markAppLimited() {
        appLimitedUntil = Math.max(delivered + bytesInFlight, 1);
    }

    public boolean isInFlight(int sequence) {
        int i = sequence & mask;
        return inFlight[i] && seq[i] == sequence;
    }

    /** Send time of a packet in flight; callers check {@link #isInFlight} first. */
    public long sentAt(int sequence) { return sentAt[sequence & mask]; }

    /** The lowest sequence that may be in flight, or the next to send when none is. */
    public int oldest() {
        advanceOldest();
        return oldest;
    }

    public int highestSent() { return highest; }

    public boolean hasSent() { return any; }

    /**
     * Removes an acknowledged packet and fills {@code out} with its rate sample; false if the
     * sequence is not in flight (acked before, declared lost, a control message, or unknown).
     */
    public boolean onAcked(int sequence, long nowNanos, RateSample out) {
        int i = sequence & mask;
        if (!inFlight[i] || seq[i] != sequence) return false;
        int size = forget(i);
        delivered += size;
        deliveredTime = nowNanos;
        if (appLimitedUntil != 0 && delivered > appLimitedUntil) appLimitedUntil = 0;
        out.bytes = size;
        out.sentAt = sentAt[i];
        out.rttNanos = nowNanos - sentAt[i];
        out.priorDelivered = deliveredAtSend[i];
        out.totalDelivered = delivered;
        out.deliveredBytes = delivered - deliveredAtSend[i];
        out.appLimited = appLimitedAtSend[i];
        long sendElapsed = sentAt[i] - firstSentAtSend[i];
        long ackElapsed = nowNanos - deliveredTimeAtSend[i];
        out.intervalNanos = Math.max(sendElapsed, ackElapsed);
        firstSentTime = sentAt[i];
        return true;
    }

    /** Removes a packet declared lost; returns its size, or -1 if it was not in flight. */
    public int onLost(int sequence) {
        int i = sequence & mask;
        if (!inFlight[i] || seq[i] != sequence) return -1;
        return forget(i);
    }

    private int forget(int i) {
        inFlight[i] = false;
        packetsInFlight--;
        bytesInFlight -= bytes[i];
        return bytes[i];
    }

    /**
     * Forgets every packet still in flight below {@code newOldest} and moves {@code oldest} there;
     * returns their bytes. Control messages take sequences without entering the ring, so a packet
     * can fall a capacity behind without its slot being reused: stepping over it while it still
     * counted as in flight left a count that no scan from {@code oldest} could find (and the
     * sender's loss timer looped for ever looking for it). At most one pass over the ring, and
     * {@code oldest} only moves forward, so this costs nothing per packet on average.
     */
    private int forgetBelow(int newOldest) {
        int from = newOldest - oldest > capacity() ? newOldest - capacity() : oldest;
        int bytesForgotten = 0;
        for (int s = from; s - newOldest < 0; s++) {
            int i = s & mask;
            if (inFlight[i] && seq[i] - newOldest < 0) bytesForgotten += forget(i);
        }
        oldest = newOldest;
        return bytesForgotten;
    }

    private void advanceOldest() {
        if (!any) return;
        while (oldest - highest <= 0 && !isInFlight(oldest)) oldest++;
    }
}
