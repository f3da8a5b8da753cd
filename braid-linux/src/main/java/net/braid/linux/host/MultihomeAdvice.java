package net.braid.linux.host;

import java.util.ArrayList;
import java.util.List;
import net.braid.config.IpPrefix;

/**
 * The multi-homing pitfalls of seed 003 §3.3.3 that break a path bound to its own link, found
 * from the facts of the bound devices (no I/O here) and named with the fix, since the right
 * fix depends on what else the host does.
 */
public final class MultihomeAdvice {
    private MultihomeAdvice() {}

    /** What matters about one device a path is bound to; sysctls are the effective (maximum of all and the device). */
    public record DeviceFacts(String name, boolean exists, int rpFilter, int arpIgnore, int arpAnnounce,
                              List<IpPrefix> subnets, boolean hasDefaultRoute) {
        public DeviceFacts {
            subnets = List.copyOf(subnets);
        }
    }

    /** A bound path: its device and the peer address it sends to (null when it only answers). */
    public record BoundPath(String label, String device, IpPrefix peer) {}

    public static List<String> notes(List<BoundPath> paths, List<DeviceFacts> devices) {
        List<String> notes = new ArrayList<>();
        boolean several = devices.size() > 1;
        for (DeviceFacts d : devices) {
            if (!d.exists()) continue; // binding fails at start with the device named
            if (several && d.rpFilter() == 1) {
                notes.add("rp_filter is strict on " + d.name() + ": replies that arrive on it are dropped whenever the"
                        + " route back to their sender leaves through another link; set net.ipv4.conf." + d.name()
                        + ".rp_filter=2 (loose)");
            }
        }
        for (int i = 0; i < devices.size(); i++) {
            for (int j = i + 1; j < devices.size(); j++) {
                DeviceFacts a = devices.get(i);
                DeviceFacts b = devices.get(j);
                IpPrefix shared = sharedSubnet(a, b);
                if (shared != null && (a.arpIgnore() == 0 || b.arpIgnore() == 0 || a.arpAnnounce() == 0 || b.arpAnnounce() == 0)) {
                    notes.add(a.name() + " and " + b.name() + " share " + shared + ": either may answer ARP for the other's"
                            + " address (ARP flux), so replies can arrive on the wrong link; set arp_ignore=1 and"
                            + " arp_announce=2 on both (net.ipv4.conf.all.arp_ignore=1, net.ipv4.conf.all.arp_announce=2)");
                }
            }
        }
        for (BoundPath p : paths) {
            DeviceFacts d = devices.stream().filter(f -> f.name().equals(p.device())).findFirst().orElse(null);
            if (d == null || !d.exists() || d.hasDefaultRoute() || p.peer() == null) continue;
            boolean onLink = d.subnets().stream().anyMatch(s -> s.isIpv6() == p.peer().isIpv6() && s.contains(p.peer().address()));
            if (!onLink) {
                notes.add(p.label() + " is bound to " + d.name() + ", which has no default route, and its peer "
                        + p.peer().addressText() + " is not on " + d.name() + "'s subnet: give " + d.name()
                        + " a default route of its own with a higher metric (ip route add default via GATEWAY dev "
                        + d.name() + " metric 200)");
            }
        }
        return notes;
    }

    private static IpPrefix sharedSubnet(DeviceFacts a, DeviceFacts b) {
        for (IpPrefix x : a.subnets()) {
            for (IpPrefix y : b.subnets()) {
                if (x.isIpv6() == y.isIpv6() && x.network().equals(y.network())) return x.network();
            }
        }
        return null;
    }
}
