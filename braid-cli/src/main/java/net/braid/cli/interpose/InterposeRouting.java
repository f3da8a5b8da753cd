package net.braid.cli.interpose;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import net.braid.config.IpPrefix;
import net.braid.linux.host.HostChange;
import net.braid.linux.host.HostPlan;

/**
 * What {@code braid interpose} changes on the host, worked out without I/O: the TUN's addresses,
 * the captured routes in a table of braid's own (T), and wg-quick's two rules per IP version so
 * the proxy's own connection never enters the TUN it serves:
 *
 * <pre>
 * ip rule add not to PROXY table T                # everything but the proxy may be captured
 * ip rule add table main suppress_prefixlength 0  # the main table's specific routes (links, LAN) first
 * </pre>
 */
final class InterposeRouting {
    private InterposeRouting() {}

    static HostPlan plan(String tun, List<IpPrefix> addresses, List<IpPrefix> routes, InetAddress proxy, long table) {
        List<HostChange> changes = new ArrayList<>();
        for (IpPrefix a : addresses) changes.add(HostChange.Ip.address(tun, a));
        String t = Long.toString(table);
        for (boolean v6 : new boolean[] {false, true}) {
            String family = v6 ? "-6" : "-4";
            List<IpPrefix> mine = routes.stream().filter(r -> r.isIpv6() == v6).toList();
            if (mine.isEmpty()) continue;
            for (IpPrefix r : mine) {
                String net = r.network().toString();
                changes.add(HostChange.Ip.route(tun, net, v6, t));
            }
            boolean proxyHere = (proxy instanceof Inet6Address) == v6;
            changes.addAll(HostChange.Ip.tunnelRules(family, t, proxyHere ? IpPrefix.host(proxy).toString() : null));
        }
        return new HostPlan(changes, 0);
    }
}
