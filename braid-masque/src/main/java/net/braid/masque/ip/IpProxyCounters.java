package net.braid.masque.ip;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What a {@link ConnectIpHandler} did, counted; every packet it did not forward is counted under its reason. */
public final class IpProxyCounters {
    final LongAdder sessions = new LongAdder();
    final LongAdder activeSessions = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder malformedCapsules = new LongAdder();
    final LongAdder packetsToEgress = new LongAdder();
    final LongAdder packetsToClients = new LongAdder();
    final LongAdder icmpErrors = new LongAdder();
    final LongAdder addressRequestsRejected = new LongAdder();
    private final LongAdder[] dropped = new LongAdder[IpDropReason.values().length];

    IpProxyCounters() {
        for (int i = 0; i < dropped.length; i++) dropped[i] = new LongAdder();
    }

    void drop(IpDropReason reason) {
        dropped[reason.ordinal()].increment();
    }

    /**
     * @param sessions                CONNECT-IP requests answered 200
     * @param activeSessions          sessions not yet ended
     * @param refused                 requests answered with an error status
     * @param malformedCapsules       streams aborted for a malformed capsule (RFC 9297 §3.3, RFC 9484 §4.7)
     * @param packetsToEgress         packets handed to the {@link IpEgress}
     * @param packetsToClients        packets sent to clients (from the egress, and ICMP errors)
     * @param icmpErrors              ICMP errors the proxy generated into tunnels (Time Exceeded, Packet Too Big)
     * @param addressRequestsRejected Requested Addresses answered with the all-zero rejection (RFC 9484 §4.7.1)
     * @param dropped                 packets not forwarded, by reason (every reason present)
     */
    public record Snapshot(long sessions, long activeSessions, long refused, long malformedCapsules,
                           long packetsToEgress, long packetsToClients, long icmpErrors, long addressRequestsRejected,
                           Map<IpDropReason, Long> dropped) {
        public long dropped(IpDropReason reason) {
            return dropped.get(reason);
        }
    }

    public Snapshot snapshot() {
        Map<IpDropReason, Long> drops = new EnumMap<>(IpDropReason.class);
        for (IpDropReason r : IpDropReason.values()) drops.put(r, dropped[r.ordinal()].sum());
        return new Snapshot(sessions.sum(), activeSessions.sum(), refused.sum(), malformedCapsules.sum(),
                packetsToEgress.sum(), packetsToClients.sum(), icmpErrors.sum(), addressRequestsRejected.sum(),
                Map.copyOf(drops));
    }
}
