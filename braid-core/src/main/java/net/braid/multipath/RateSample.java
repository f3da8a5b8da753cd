package net.braid.multipath;

/**
 * What one newly acknowledged packet says about the path: its size and RTT, and a delivery-rate
 * sample as in draft-cheng-iccrg-delivery-rate-estimation §3.3. Filled by
 * {@link SentPacketLedger#onAcked}; reused, so it is only valid until the next call.
 */
public final class RateSample {
    int bytes;
    long sentAt;
    long rttNanos;
    long deliveredBytes;
    long intervalNanos;
    long priorDelivered;
    long totalDelivered;
    boolean appLimited;

    /** Size of the acked packet. */
    public int bytes() { return bytes; }
    /** When the acked packet was sent. */
    public long sentAt() { return sentAt; }
    /** now − send time, hold delay not removed. */
    public long rttNanos() { return rttNanos; }
    /** Bytes delivered between this packet's send and its ACK. */
    public long deliveredBytes() { return deliveredBytes; }
    /** The longer of the send and the ACK intervals the delivery spans. */
    public long intervalNanos() { return intervalNanos; }
    /** Path bytes delivered when the packet was sent: BBR counts round trips with it. */
    public long priorDelivered() { return priorDelivered; }
    /** Path bytes delivered so far, this packet included. */
    public long totalDelivered() { return totalDelivered; }
    /** Sent while the sender had nothing more to send: the rate is a lower bound only. */
    public boolean appLimited() { return appLimited; }

    /** Bytes per second, or 0 when the interval is empty. */
    public long deliveryRate() {
        return intervalNanos <= 0 ? 0 : (long) (deliveredBytes * 1e9 / intervalNanos);
    }
}
