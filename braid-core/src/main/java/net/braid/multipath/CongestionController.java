package net.braid.multipath;

/**
 * How much one path may have in flight and how fast it may send. Driven by the path's sender
 * ({@link PathSender}) with the events below, in time order; it never sees sequences, sockets or
 * clocks. Windows and rates are in bytes, because packets differ in size; the NewReno baseline
 * counts packets of {@code maxDatagramBytes} inside.
 */
public interface CongestionController {
    /** Congestion window in bytes: the sender keeps bytes in flight at or below it. */
    long congestionWindow();

    /** Pacing rate in bytes per second; 0 when the controller does not pace. */
    long pacingRate();

    /** A packet of {@code bytes} left; {@code bytesInFlight} includes it. */
    void onPacketSent(long nowNanos, int bytes, long bytesInFlight);

    /** A packet was acknowledged for the first time; {@code bytesInFlight} no longer includes it. */
    void onAck(long nowNanos, RateSample sample, long bytesInFlight);

    /** A packet was declared lost (NACK, timeout or eviction); {@code bytesInFlight} no longer includes it. */
    void onLoss(long nowNanos, int bytes, long sentAtNanos, long bytesInFlight);

    /** The path starts sending again after it had nothing in flight for at least an RTT. */
    void onIdle(long nowNanos);

    /** The controller's estimate of the path's delivery rate in bytes per second; 0 if it keeps none. */
    default long bandwidthEstimate() { return 0; }

    /** Short name for logs and {@code braid show}. */
    String name();
}
