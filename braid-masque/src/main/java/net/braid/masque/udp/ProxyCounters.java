package net.braid.masque.udp;

import java.util.concurrent.atomic.LongAdder;

/** What the proxy did, counted; every datagram it did not relay is counted under its reason. */
public final class ProxyCounters {
    final LongAdder udpSessions = new LongAdder();
    final LongAdder tcpSessions = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder malformedCapsules = new LongAdder();
    final LongAdder datagramsToTargets = new LongAdder();
    final LongAdder datagramsFromTargets = new LongAdder();
    final LongAdder droppedUnknownContext = new LongAdder();
    final LongAdder droppedQueueFull = new LongAdder();
    final LongAdder droppedTooLarge = new LongAdder();
    final LongAdder idleClosed = new LongAdder();

    /**
     * @param udpSessions           CONNECT-UDP requests answered 200
     * @param tcpSessions           CONNECT requests answered 200
     * @param refused               requests answered with an error status
     * @param malformedCapsules     streams aborted for a malformed capsule (RFC 9297 §3.3)
     * @param datagramsToTargets    UDP payloads written to target sockets
     * @param datagramsFromTargets  UDP payloads sent back to clients
     * @param droppedUnknownContext HTTP Datagrams with a context ID other than 0 or a truncated one (RFC 9298 §4)
     * @param droppedQueueFull      payloads dropped because a socket, a stream or the QUIC datagram queue was full
     * @param droppedTooLarge       payloads too large for a QUIC DATAGRAM frame on the path
     * @param idleClosed            UDP sessions closed for idleness
     */
    public record Snapshot(long udpSessions, long tcpSessions, long refused, long malformedCapsules,
                           long datagramsToTargets, long datagramsFromTargets, long droppedUnknownContext,
                           long droppedQueueFull, long droppedTooLarge, long idleClosed) {}

    public Snapshot snapshot() {
        return new Snapshot(udpSessions.sum(), tcpSessions.sum(), refused.sum(), malformedCapsules.sum(),
                datagramsToTargets.sum(), datagramsFromTargets.sum(), droppedUnknownContext.sum(),
                droppedQueueFull.sum(), droppedTooLarge.sum(), idleClosed.sum());
    }
}
