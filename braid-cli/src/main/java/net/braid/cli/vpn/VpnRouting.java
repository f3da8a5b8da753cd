package net.braid.cli.vpn;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import net.braid.config.IpPrefix;
import net.braid.linux.host.HostChange;
import net.braid.linux.host.HostPlan;

/**
 * What {@code braid vpn} changes on the host for one session's addresses and routes, worked out
 * without I/O. The assigned addresses go on the TUN; the advertised routes go into a table of
 * braid's own (T), loaded from one {@code ip -batch} file per IP version and flushed as a whole
 * on the way back. Two rules per IP version, wg-quick's shape with a destination in place of a
 * firewall mark (braid's HTTP/3 socket cannot carry one):
 *
 * <pre>
 * ip rule add not to PROXY table T                # everything but the proxy itself may use the tunnel
 * ip rule add table main suppress_prefixlength 0  # the main table's specific routes (LAN, links) first
 * </pre>
 *
 * Added in that order, the second is consulted first (each rule without a priority goes on top).
 * Destinations outside the advertised routes fall through to the main table as before.
 *
 * @param plan    the changes, in the order they are applied
 * @param batches the {@code ip -batch} lines of each IP version's routes (4 or 6 → lines), to be
 *                written where {@code batchFile} said before the plan is applied
 */
record VpnRouting(HostPlan plan, Map<Integer, String> batches) {

    /**
     * @param addresses the assigned addresses (RFC 9484 §4.7.1)
     * @param routes    the advertised routes as prefixes; only IP versions with an address are routed
     * @param proxy     the proxy's address, kept off the tunnel
     * @param batchFile where the batch file of IP version v will be: {@code batchFile(v)}
     */
    static VpnRouting of(String tun, List<IpPrefix> addresses, List<IpPrefix> routes, InetAddress proxy, long table,
                         IntFunction<Path> batchFile) {
        List<HostChange> changes = new ArrayList<>();
        for (IpPrefix a : addresses) changes.add(HostChange.Ip.address(tun, a));
        String t = Long.toString(table);
        Map<Integer, String> batches = new TreeMap<>();
        for (int version : new int[] {4, 6}) {
            boolean v6 = version == 6;
            if (addresses.stream().noneMatch(a -> a.isIpv6() == v6)) continue;
            StringBuilder lines = new StringBuilder();
            for (IpPrefix r : routes) {
                if (r.isIpv6() == v6) lines.append("route add ").append(r.network()).append(" dev ").append(tun).append(" table ").append(t).append('\n');
            }
            if (lines.isEmpty()) continue;
            batches.put(version, lines.toString());
            String family = v6 ? "-6" : "-4";
            changes.add(new HostChange.Ip(List.of(family, "-batch", batchFile.apply(version).toString()),
                    List.of(family, "route", "flush", "table", t)));
            boolean proxyHere = (proxy instanceof Inet6Address) == v6;
            changes.addAll(HostChange.Ip.tunnelRules(family, t, proxyHere ? IpPrefix.host(proxy).toString() : null));
        }
        return new VpnRouting(new HostPlan(changes, 0), batches);
    }
}
