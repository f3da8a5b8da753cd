package net.braid.tunnel;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.braid.config.IpPrefix;

/**
 * Cryptokey routing (WireGuard whitepaper §2): which peer an outgoing packet goes to, by
 * longest-prefix match on its destination, and whether a decrypted packet's source belongs to
 * the peer it came from. Immutable; lookups never allocate.
 */
final class AllowedIps {
    private final IpPrefix[] prefixes;
    private final Peer[] peers;

    AllowedIps(List<Peer> all) {
        record Entry(IpPrefix prefix, Peer peer) {}
        List<Entry> entries = new ArrayList<>();
        for (Peer p : all) for (IpPrefix prefix : p.allowedIps) entries.add(new Entry(prefix, p));
        entries.sort(Comparator.comparingInt((Entry e) -> e.prefix().prefixLength()).reversed());
        prefixes = entries.stream().map(Entry::prefix).toArray(IpPrefix[]::new);
        peers = entries.stream().map(Entry::peer).toArray(Peer[]::new);
    }

    /** The peer for the packet's destination, or null when no AllowedIPs entry covers it. */
    Peer route(ByteBuffer packet) {
        return lookup(packet, destinationOffset(packet));
    }

    /** True when the packet's source address lies in the peer's AllowedIPs. */
    boolean sourceAllowed(ByteBuffer packet, Peer from) {
        int version = (packet.get(packet.position()) & 0xff) >>> 4;
        int offset = version == 4 ? 12 : 8;
        return lookup(packet, offset) == from;
    }

    private static int destinationOffset(ByteBuffer packet) {
        return ((packet.get(packet.position()) & 0xff) >>> 4) == 4 ? 16 : 24;
    }

    private Peer lookup(ByteBuffer packet, int addressOffset) {
        int p = packet.position();
        int version = (packet.get(p) & 0xff) >>> 4;
        if (version == 4) {
            int a = packet.getInt(p + addressOffset);
            for (int i = 0; i < prefixes.length; i++) {
                if (prefixes[i].isIpv4() && prefixes[i].containsV4(a)) return peers[i];
            }
        } else if (version == 6) {
            long hi = packet.getLong(p + addressOffset);
            long lo = packet.getLong(p + addressOffset + 8);
            for (int i = 0; i < prefixes.length; i++) {
                if (prefixes[i].isIpv6() && prefixes[i].containsV6(hi, lo)) return peers[i];
            }
        }
        return null;
    }
}
