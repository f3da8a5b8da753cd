package net.braid.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Renders the measurements of one single-path run as a console table and as Markdown. */
record SinglePathReport(Machine machine, int seconds, int warmupSeconds, String loadAfter, String command,
                        List<Measurement> measurements) {

    SinglePathReport {
        measurements = List.copyOf(measurements);
    }

    Optional<Measurement> find(Subject subject, Direction direction) {
        return measurements.stream().filter(m -> m.subject() == subject && m.direction() == direction).findFirst();
    }

    /** {@code numerator / denominator} throughput in {@code direction}, if both were measured. */
    Optional<Double> ratio(Subject numerator, Subject denominator, Direction direction) {
        return find(numerator, direction).flatMap(n -> find(denominator, direction)
                .filter(d -> d.mbps() > 0).map(d -> n.mbps() / d.mbps()));
    }

    String console() {
        var out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-14s %-14s %10s %8s %12s %12s%n",
                "case", "direction", "Mbit/s", "retrans", "tunnel cores", "CPU-s / GB"));
        for (Measurement m : measurements) {
            out.append(String.format(Locale.ROOT, "%-14s %-14s %10.0f %8d %12s %12s%n", m.subject().label(),
                    m.direction().label(), m.mbps(), m.retransmits(), fixed(m.cores(), 2), fixed(m.cpuSecondsPerGigabyte(), 2)));
        }
        out.append('\n');
        for (Direction d : Direction.values()) {
            out.append(String.format(Locale.ROOT, "%-14s braid / wireguard-go = %s   braid / veth = %s   wireguard-go / veth = %s%n",
                    d.label(), fixed(ratio(Subject.BRAID, Subject.WIREGUARD_GO, d), 2),
                    fixed(ratio(Subject.BRAID, Subject.VETH, d), 3), fixed(ratio(Subject.WIREGUARD_GO, Subject.VETH, d), 3)));
        }
        return out.toString();
    }

    String markdown() {
        var md = new StringBuilder();
        md.append("# Single path: braid vs wireguard-go vs a bare veth\n\n");
        md.append("One TCP flow (iperf3, ").append(seconds).append(" s per direction) between two network namespaces joined by one\n")
                .append("veth link without rate limit: first straight over the link, then through wireguard-go, then through\n")
                .append("braid, on the same namespaces in the same run. Both tunnels use MTU ").append(WireguardGoPair.MTU)
                .append(", the same inner addresses\nand UDP port; each tunnel gets a ").append(warmupSeconds)
                .append(" s iperf3 warm-up (unmeasured) before its two measured runs.\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "date", machine.date());
        row(md, "machine", machine.cpus() + " CPUs, " + machine.cpuModel() + ", " + machine.kernel());
        row(md, "JDK", machine.jdk());
        row(md, "wireguard-go", machine.wireguardGo());
        row(md, "iperf3", machine.iperf3());
        row(md, "braid", "commit " + machine.commit());
        row(md, "load average (1/5/15 min)", "before " + machine.loadAverage() + ", after " + loadAfter);
        md.append("\n## Throughput\n\n");
        md.append("| case | direction | Mbit/s | TCP retransmits | tunnel CPU (cores) | tunnel CPU-s per GB |\n");
        md.append("|---|---|---:|---:|---:|---:|\n");
        for (Measurement m : measurements) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %d | %s | %s |%n", m.subject().label(), m.direction().label(),
                    m.mbps(), m.retransmits(), fixed(m.cores(), 2), fixed(m.cpuSecondsPerGigabyte(), 2)));
        }
        md.append("\n## Ratios\n\n");
        md.append("| direction | braid / wireguard-go | braid / veth | wireguard-go / veth |\n|---|---:|---:|---:|\n");
        for (Direction d : Direction.values()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", d.label(),
                    fixed(ratio(Subject.BRAID, Subject.WIREGUARD_GO, d), 2),
                    fixed(ratio(Subject.BRAID, Subject.VETH, d), 3), fixed(ratio(Subject.WIREGUARD_GO, Subject.VETH, d), 3)));
        }
        md.append("\nMbit/s is iperf3's goodput at the receiver. Tunnel CPU is user + system time of the two tunnel\n")
                .append("processes (both ends, all threads) from /proc/PID/stat over the run, divided by its wall time;\n")
                .append("per GB it is divided by the bytes delivered. Kernel work done in softirq context (veth, TCP) is\n")
                .append("not in it. With ").append(machine.cpus())
                .append(" CPUs shared by both tunnel ends and both iperf3 ends, a tunnel that keeps\n")
                .append("the cores busy is CPU-bound, and its CPU-s per GB is what limits the rate.\n");
        md.append("\n## Reproduce\n\n```\n").append(command).append("\n```\n\n")
                .append("Needs root, iproute2, iperf3, wireguard-go and wireguard-tools (the script installs the last three\n")
                .append("with apt-get when missing). It builds braid if needed and removes every namespace and process it made.\n");
        return md.toString();
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(key).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
    }

    private static String fixed(Optional<Double> value, int decimals) {
        return value.map(v -> String.format(Locale.ROOT, "%." + decimals + "f", v)).orElse("—");
    }
}
