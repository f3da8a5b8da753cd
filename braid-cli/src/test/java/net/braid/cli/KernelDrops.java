package net.braid.cli;

import net.braid.testbed.Host;

/**
 * Datagrams the kernel dropped on their way from the left namespace to the right portal's
 * socket: the veth's drops at either end, and Udp/Udp6 InErrors in the right namespace (full
 * receive buffer, bad checksum). A test that sends N datagrams knows at least N minus the growth
 * of this count reached the portal.
 */
final class KernelDrops {
    private KernelDrops() {}

    static long towardsRight(PortalPair pair) {
        Host left = pair.left();
        Host right = pair.right();
        return linkStat(left, pair.link().device(left), "tx_dropped")
                + linkStat(right, pair.link().device(right), "rx_dropped")
                + udpInErrors(right.run("cat", "/proc/net/snmp").stdout())
                + udp6InErrors(right.run("cat", "/proc/net/snmp6").stdout());
    }

    /** {@code ip netns exec} mounts the namespace's own sysfs, so these are the namespace's devices. */
    private static long linkStat(Host host, String device, String counter) {
        return Long.parseLong(host.run("cat", "/sys/class/net/" + device + "/statistics/" + counter).stdout().strip());
    }

    /** /proc/net/snmp has a header line and a value line per protocol: "Udp: InDatagrams NoPorts InErrors ...". */
    static long udpInErrors(String snmp) {
        String[] header = null;
        for (String line : snmp.lines().toList()) {
            if (!line.startsWith("Udp: ")) continue;
            String[] fields = line.split("\\s+");
            if (header == null) {
                header = fields;
            } else {
                for (int i = 1; i < header.length; i++) if (header[i].equals("InErrors")) return Long.parseLong(fields[i]);
            }
        }
        throw new IllegalStateException("no Udp InErrors in /proc/net/snmp");
    }

    /** /proc/net/snmp6 has one "Name value" pair per line. */
    static long udp6InErrors(String snmp6) {
        for (String line : snmp6.lines().toList()) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length == 2 && fields[0].equals("Udp6InErrors")) return Long.parseLong(fields[1]);
        }
        return 0; // IPv6 disabled: no Udp6 counters
    }
}
