package net.braid.tunnel;

/**
 * One path of a peer as `braid show` prints it.
 *
 * @param state         UP, SUSPECT, DOWN or PROBING (docs/multipath.md §1.6)
 * @param srttMicros    smoothed RTT of the sending direction
 * @param minRttMicros  minimum RTT over the last 10 s: srtt minus this is the path's queueing delay
 * @param cwndBytes     congestion window
 * @param inFlightBytes data sent on this path and not yet acknowledged or declared lost
 * @param pacingRate    bytes per second the controller paces at
 * @param deliveryRate  bytes per second the controller estimates the path delivers
 * @param packetsLost   data messages declared lost on this path
 * @param latePackets   data messages that arrived on this path after the reorder stage had given up
 *                      waiting for them (released out of order: each is a likely inner retransmit)
 */
public record PathInfo(int id, String endpoint, int metric, String state, long srttMicros, long minRttMicros,
                       long cwndBytes, long inFlightBytes, long pacingRate, long deliveryRate, long packetsLost,
                       long latePackets, long rxBytes, long txBytes) {}
