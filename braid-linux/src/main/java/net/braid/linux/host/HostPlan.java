package net.braid.linux.host;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.braid.config.HostSetup;
import net.braid.config.IpPrefix;

/**
 * What {@code braid up} changes on the host for one TUN, worked out from the configuration
 * alone (no I/O), so it can be read in a test or printed before anything happens.
 *
 * <p>A default route through the tunnel follows wg-quick: the route sits in its own table T;
 * {@code not fwmark M lookup T} sends everything unmarked there, and {@code lookup main
 * suppress_prefixlength 0} lets the main table's more specific routes (the LAN, the links)
 * win first. braid's own UDP sockets carry mark M (SO_MARK), so its tunnel packets keep
 * leaving through the physical links instead of looping into the TUN.
 *
 * @param changes    in the order they are applied; undone in reverse
 * @param socketMark the SO_MARK for braid's UDP sockets, 0 for none
 */
public record HostPlan(List<HostChange> changes, long socketMark) {

    /** The conntrack mark bit that tags connections entering from a TUN, for masquerade. */
    static final long TUNNELLED_CT_BIT = 0x4000_0000L;

    public HostPlan {
        changes = List.copyOf(changes);
    }

    public static HostPlan of(String tun, HostSetup setup, List<IpPrefix> addresses, List<IpPrefix> allowedIps) {
        List<HostChange> changes = new ArrayList<>();
        long mark = setup.fwMark();
        Set<Boolean> defaultFamilies = new LinkedHashSet<>();
        for (IpPrefix allowed : allowedIps) {
            if (allowed.prefixLength() == 0) {
                defaultFamilies.add(allowed.isIpv6());
            } else if (!(setup.table() instanceof HostSetup.Table.Off) && !coveredByAddress(allowed, addresses)) {
                changes.add(route(tun, allowed.network().toString(), allowed.isIpv6(), tableFor(setup.table())));
            }
        }
        if (!defaultFamilies.isEmpty()) {
            switch (setup.table()) {
                case HostSetup.Table.Off off -> { }
                case HostSetup.Table.Numbered n -> {
                    for (boolean v6 : defaultFamilies) changes.add(route(tun, v6 ? "::/0" : "0.0.0.0/0", v6, n.toString()));
                }
                case HostSetup.Table.Auto auto -> {
                    if (mark == 0) mark = HostSetup.DEFAULT_POLICY_TABLE;
                    String table = Long.toString(mark);
                    String fwmark = "0x" + Long.toHexString(mark);
                    for (boolean v6 : defaultFamilies) {
                        String family = v6 ? "-6" : "-4";
                        changes.add(route(tun, v6 ? "::/0" : "0.0.0.0/0", v6, table));
                        changes.add(rule(family, "not", "fwmark", fwmark, "table", table));
                        changes.add(rule(family, "table", "main", "suppress_prefixlength", "0"));
                    }
                    // rp_filter must take the mark into account, or replies to marked sockets are dropped.
                    if (defaultFamilies.contains(false)) changes.add(new HostChange.Sysctl("net.ipv4.conf.all.src_valid_mark", "1"));
                }
            }
        }
        if (setup.forwarding()) {
            changes.add(new HostChange.Sysctl("net.ipv4.ip_forward", "1"));
            changes.add(new HostChange.Sysctl("net.ipv6.conf.all.forwarding", "1"));
        }
        if (setup.masquerade()) changes.add(masquerade(tun));
        return new HostPlan(changes, mark);
    }

    /** The nftables table name for a TUN: nft names take letters, digits and underscores. */
    static String tableName(String tun) {
        return "braid_" + tun.replaceAll("[^A-Za-z0-9_]", "_");
    }

    /**
     * NAT for connections that entered through the TUN and leave through any other interface.
     * The input interface is unknown at postrouting, so prerouting tags the connection with one
     * conntrack-mark bit (leaving the other bits to whoever uses them).
     */
    private static HostChange masquerade(String tun) {
        String bit = "0x" + Long.toHexString(TUNNELLED_CT_BIT);
        String body = "    chain tunnelled {\n"
                + "        type filter hook prerouting priority mangle; policy accept;\n"
                + "        iifname \"" + tun + "\" ct mark set ct mark or " + bit + "\n"
                + "    }\n"
                + "    chain nat_out {\n"
                + "        type nat hook postrouting priority srcnat; policy accept;\n"
                + "        oifname != \"" + tun + "\" ct mark and " + bit + " == " + bit + " counter masquerade\n"
                + "    }\n";
        return new HostChange.NftTable("inet", tableName(tun), body);
    }

    private static String tableFor(HostSetup.Table table) {
        return table instanceof HostSetup.Table.Numbered n ? n.toString() : null;
    }

    private static HostChange route(String tun, String cidr, boolean v6, String table) {
        List<String> args = new ArrayList<>(List.of(v6 ? "-6" : "-4", "route", "add", cidr, "dev", tun));
        if (table != null) args.addAll(List.of("table", table));
        List<String> undo = new ArrayList<>(args);
        undo.set(2, "del");
        return new HostChange.Ip(args, undo);
    }

    private static HostChange rule(String family, String... selectorAndAction) {
        List<String> apply = new ArrayList<>(List.of(family, "rule", "add"));
        apply.addAll(List.of(selectorAndAction));
        List<String> undo = new ArrayList<>(apply);
        undo.set(2, "del");
        return new HostChange.Ip(apply, undo);
    }

    /** The kernel already routes an interface address's own subnet to the TUN. */
    private static boolean coveredByAddress(IpPrefix allowed, List<IpPrefix> addresses) {
        for (IpPrefix a : addresses) {
            if (a.isIpv6() == allowed.isIpv6() && a.prefixLength() <= allowed.prefixLength()
                    && a.network().contains(allowed.address())) return true;
        }
        return false;
    }
}
