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

    /** The packet-mark bit that diverts packets for a lent address into the TUN. */
    static final long LENT_MARK_BIT = 0x2000_0000L;

    public HostPlan {
        changes = List.copyOf(changes);
    }

    /** The table holding the routes of lent addresses into the TUN. */
    static final String LEND_TABLE = Long.toString(HostSetup.DEFAULT_POLICY_TABLE + 1);

    public static HostPlan of(String tun, HostSetup setup, List<IpPrefix> addresses, List<IpPrefix> allowedIps) {
        return of(tun, setup, addresses, allowedIps, 0);
    }

    /** @param listenPort braid's own UDP port, kept on this host when an address is lent */
    public static HostPlan of(String tun, HostSetup setup, List<IpPrefix> addresses, List<IpPrefix> allowedIps, int listenPort) {
        List<HostChange> changes = new ArrayList<>();
        long mark = setup.fwMark();
        Set<Boolean> defaultFamilies = new LinkedHashSet<>();
        for (IpPrefix allowed : allowedIps) {
            if (allowed.prefixLength() == 0) {
                defaultFamilies.add(allowed.isIpv6());
            } else if (!(setup.table() instanceof HostSetup.Table.Off) && !coveredByAddress(allowed, addresses)
                    && !setup.lend().contains(allowed)) { // a lent address has its own table, see lend()
                changes.add(HostChange.Ip.route(tun, allowed.network().toString(), allowed.isIpv6(), tableFor(setup.table())));
            }
        }
        if (!defaultFamilies.isEmpty()) {
            switch (setup.table()) {
                case HostSetup.Table.Off off -> { }
                case HostSetup.Table.Numbered n -> {
                    for (boolean v6 : defaultFamilies) changes.add(HostChange.Ip.route(tun, v6 ? "::/0" : "0.0.0.0/0", v6, n.toString()));
                }
                case HostSetup.Table.Auto auto -> {
                    if (mark == 0) mark = HostSetup.DEFAULT_POLICY_TABLE;
                    String table = Long.toString(mark);
                    String fwmark = "0x" + Long.toHexString(mark);
                    for (boolean v6 : defaultFamilies) {
                        String family = v6 ? "-6" : "-4";
                        changes.add(HostChange.Ip.route(tun, v6 ? "::/0" : "0.0.0.0/0", v6, table));
                        changes.add(HostChange.Ip.rule(family, "not", "fwmark", fwmark, "table", table));
                        changes.add(HostChange.Ip.rule(family, "table", "main", "suppress_prefixlength", "0"));
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
        List<String> chains = new ArrayList<>();
        if (setup.masquerade()) chains.add(masquerade(tun));
        lend(changes, chains, tun, setup, listenPort);
        if (!chains.isEmpty()) changes.add(new HostChange.NftTable("inet", tableName(tun), String.join("", chains)));
        return new HostPlan(changes, mark);
    }

    /**
     * Seed 003 §3.3.1: packets for a lent address go through the TUN to the client that holds
     * it, except braid's own port and the KeepLocal ones. nftables marks the packets to divert
     * (ARP and neighbour lookups carry no mark, so this host still answers for the address); a
     * rule sends marked packets to a table that routes the address into the TUN; and the
     * kernel's local table, normally consulted first (rule 0), moves behind that rule.
     */
    private static void lend(List<HostChange> changes, List<String> chains, String tun, HostSetup setup, int listenPort) {
        if (setup.lend().isEmpty()) return;
        String bit = "0x" + Long.toHexString(LENT_MARK_BIT);
        StringBuilder chain = new StringBuilder("    chain lend {\n        type filter hook prerouting priority mangle; policy accept;\n");
        Set<Boolean> families = new LinkedHashSet<>();
        for (IpPrefix lent : setup.lend()) {
            boolean v6 = lent.isIpv6();
            String match = (v6 ? "ip6" : "ip") + " daddr " + lent.addressText();
            chain.append("        ").append(match).append(" udp dport ").append(listenPort).append(" return\n");
            for (HostSetup.LocalPort keep : setup.keepLocal()) {
                chain.append("        ").append(match).append(' ').append(keep.protocol()).append(" dport ").append(keep.port())
                        .append(" return\n");
            }
            chain.append("        iifname != \"").append(tun).append("\" ").append(match)
                    .append(" meta mark set meta mark or ").append(bit).append('\n');
            if (families.add(v6)) {
                String family = v6 ? "-6" : "-4";
                changes.add(HostChange.Ip.rule(family, "pref", "50", "fwmark", bit + "/" + bit, "table", LEND_TABLE));
                changes.add(HostChange.Ip.rule(family, "pref", "100", "table", "local"));
                changes.add(new HostChange.Ip(List.of(family, "rule", "del", "pref", "0", "table", "local"),
                        List.of(family, "rule", "add", "pref", "0", "table", "local")));
            }
            changes.add(HostChange.Ip.route(tun, lent.toString(), v6, LEND_TABLE));
            // The client's packets carry a source address of this host's; forwarding them needs
            // accept_local, or the kernel drops them as martians.
            if (!v6) changes.add(new HostChange.Sysctl("net.ipv4.conf." + tun + ".accept_local", "1"));
        }
        chains.add(chain.append("    }\n").toString());
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
    private static String masquerade(String tun) {
        String bit = "0x" + Long.toHexString(TUNNELLED_CT_BIT);
        return "    chain tunnelled {\n"
                + "        type filter hook prerouting priority mangle; policy accept;\n"
                + "        iifname \"" + tun + "\" ct mark set ct mark or " + bit + "\n"
                + "    }\n"
                + "    chain nat_out {\n"
                + "        type nat hook postrouting priority srcnat; policy accept;\n"
                + "        oifname != \"" + tun + "\" ct mark and " + bit + " == " + bit + " counter masquerade\n"
                + "    }\n";
    }

    private static String tableFor(HostSetup.Table table) {
        return table instanceof HostSetup.Table.Numbered n ? n.toString() : null;
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
