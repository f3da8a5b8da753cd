package net.braid.linux.host;

import java.util.ArrayList;
import java.util.List;
import net.braid.config.IpPrefix;

/** One change {@code braid up} makes to the host, with what takes it back. */
public sealed interface HostChange {

    /** An iproute2 command (arguments after {@code ip}) and its inverse. */
    record Ip(List<String> apply, List<String> undo) implements HostChange {
        public Ip {
            apply = List.copyOf(apply);
            undo = List.copyOf(undo);
        }

        @Override public String toString() { return "ip " + String.join(" ", apply); }

        /** {@code ip FAMILY rule add ...}, undone by the same rule with {@code del}. */
        public static Ip rule(String family, String... selectorAndAction) {
            List<String> apply = new ArrayList<>(List.of(family, "rule", "add"));
            apply.addAll(List.of(selectorAndAction));
            return withDel(apply);
        }

        /** {@code ip -4|-6 route add CIDR dev TUN [table T]}; {@code table} null for the main table. */
        public static Ip route(String tun, String cidr, boolean v6, String table) {
            List<String> apply = new ArrayList<>(List.of(v6 ? "-6" : "-4", "route", "add", cidr, "dev", tun));
            if (table != null) apply.addAll(List.of("table", table));
            return withDel(apply);
        }

        /** An address on the TUN; IPv6 ones usable at once, without duplicate address detection. */
        public static Ip address(String tun, IpPrefix address) {
            String family = address.isIpv6() ? "-6" : "-4";
            List<String> apply = new ArrayList<>(List.of(family, "addr", "add", address.toString(), "dev", tun));
            if (address.isIpv6()) apply.add("nodad");
            return new Ip(apply, List.of(family, "addr", "del", address.toString(), "dev", tun));
        }

        /**
         * wg-quick's pair for a table of tunnel routes: everything but {@code keepOut} (null: nothing)
         * may use table {@code table}, and the main table's specific routes are consulted first.
         */
        public static List<Ip> tunnelRules(String family, String table, String keepOut) {
            return List.of(keepOut == null ? rule(family, "table", table) : rule(family, "not", "to", keepOut, "table", table),
                    rule(family, "table", "main", "suppress_prefixlength", "0"));
        }

        private static Ip withDel(List<String> apply) {
            List<String> undo = new ArrayList<>(apply);
            undo.set(2, "del");
            return new Ip(apply, undo);
        }
    }

    /** A whole nftables table of braid's, replaced as one; undone by deleting the table. */
    record NftTable(String family, String name, String body) implements HostChange {
        /** What {@code nft -f -} reads: the table, created empty first so the delete never fails. */
        public String script() {
            return "table " + family + " " + name + "\ndelete table " + family + " " + name + "\n"
                    + "table " + family + " " + name + " {\n" + body + "}\n";
        }

        @Override public String toString() { return "nft table " + family + " " + name; }
    }

    /** A sysctl set to a value; undone by writing back the value it had before. */
    record Sysctl(String key, String value) implements HostChange {
        @Override public String toString() { return "sysctl " + key + "=" + value; }
    }
}
