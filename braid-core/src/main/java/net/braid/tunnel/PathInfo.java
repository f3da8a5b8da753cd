package net.braid.tunnel;

/**
 * One path of a peer as `braid show` prints it.
 *
 * @param state         UP, SUSPECT, DOWN or PROBING (docs/multipath.md §1.6)
 * @param srttMicros    smoothed RTT of the sending direction
 * @param cwndBytes     congestion window
 * @param pacingRate    bytes per second the controller paces at
 * @param deliveryRate  bytes per second the controller estimates the path delivers
 * @param packetsLost   data messages declared lost on this path
 */
public record PathInfo(int id, String endpoint, int metric, String state, long srttMicros, long cwndBytes,
                       long pacingRate, long deliveryRate, long packetsLost, long rxBytes, long txBytes) {}
