package net.braid.tunnel;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import net.braid.multipath.PathControl;

/**
 * One UDP path of a multipath peer: its id (the same in both directions), the socket it sends
 * from and where to, and its {@link PathControl}, which is guarded by the peer's path lock.
 * An initiated path has its own socket and a configured endpoint; a learnt one shares the
 * listen port's socket and follows the authenticated source of its packets (roaming per path).
 */
final class TunnelPath {
    final int id;
    final int metric;
    final boolean initiated;
    final String endpointHost;
    final int endpointPort;
    final UdpTransport transport;
    final PathControl control;
    volatile InetSocketAddress endpoint;
    /** The next path sequence; guarded by the peer's path lock. */
    int nextSequence;
    /** Data messages that came on this path after the reorder stage gave up on them; guarded by the path lock. */
    long latePackets;
    final AtomicLong rxBytes = new AtomicLong();
    final AtomicLong txBytes = new AtomicLong();

    TunnelPath(int id, int metric, boolean initiated, String endpointHost, int endpointPort, UdpTransport transport,
               PathControl control, InetSocketAddress endpoint) {
        this.id = id;
        this.metric = metric;
        this.initiated = initiated;
        this.endpointHost = endpointHost;
        this.endpointPort = endpointPort;
        this.transport = transport;
        this.control = control;
        this.endpoint = endpoint;
    }
}
