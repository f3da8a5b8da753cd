package net.braid.linux.host;

import java.util.List;

/** One change {@code braid up} makes to the host, with what takes it back. */
public sealed interface HostChange {

    /** An iproute2 command (arguments after {@code ip}) and its inverse. */
    record Ip(List<String> apply, List<String> undo) implements HostChange {
        public Ip {
            apply = List.copyOf(apply);
            undo = List.copyOf(undo);
        }

        @Override public String toString() { return "ip " + String.join(" ", apply); }
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
