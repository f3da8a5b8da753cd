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
        for (IpPrefix a : addresses) {
            String family = a.isIpv6() ? "-6" : "-4";
            List<String> add = new ArrayList<>(List.of(family, "addr", "add", a.toString(), "dev", tun));
            if (a.isIpv6()) add.add("nodad"); // usable at once, without duplicate address detection
            changes.add(new HostChange.Ip(add, List.of(family, "addr", "del", a.toString(), "dev", tun)));
        }
        String t = Long.toString(table);
        for (boolean v6 : new boolean[] {false, true}) {
            String family = v6 ? "-6" : "-4";
            List<IpPrefix> mine = routes.stream().filter(r -> r.isIpv6() == v6).toList();
            if (mine.isEmpty()) continue;
            for (IpPrefix r : mine) {
                String net = r.network().toString();
                changes.add(new HostChange.Ip(List.of(family, "route", "add", net, "dev", tun, "table", t),
                        List.of(family, "route", "del", net, "dev", tun, "table", t)));
            }
            boolean proxyHere = (proxy instanceof Inet6Address) == v6;
            changes.add(proxyHere
                    ? rule(family, "not", "to", IpPrefix.host(proxy).toString(), "table", t)
                    : rule(family, "table", t));
            changes.add(rule(family, "table", "main", "suppress_prefixlength", "0"));
        }
        return new HostPlan(changes, 0);
    }

    private static HostChange rule(String family, String... selectorAndAction) {
        List<String> apply = new ArrayList<>(List.of(family, "rule", "add"));
        apply.addAll(List.of(selectorAndAction));
        List<String> undo = new ArrayList<>(apply);
        undo.set(2, "del");
        return new HostChange.Ip(apply, undo);
    }
}
