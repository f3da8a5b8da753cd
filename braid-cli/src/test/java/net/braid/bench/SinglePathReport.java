package net.braid.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Renders the measurements of one single-path run as a console table and as Markdown. */
record SinglePathReport(Machine machine, int seconds, int warmupSeconds, int rounds, String loadAfter, String command,
                        List<Measurement> measurements) {

    SinglePathReport {
        measurements = List.copyOf(measurements);
    }

    /** One summary per case and direction, in the order they ran. */
    List<Summary> summaries() {
        List<Summary> summaries = new ArrayList<>();
        for (Subject s : Subject.values()) {
            for (Direction d : Direction.values()) {
                if (measurements.stream().anyMatch(m -> m.subject() == s && m.direction() == d)) {
                    summaries.add(Summary.of(s, d, measurements));
                }
            }
        }
        return summaries;
    }

    /** Median throughput of {@code numerator} over that of {@code denominator} in {@code direction}, if both ran. */
    Optional<Double> ratio(Subject numerator, Subject denominator, Direction direction) {
        Optional<Summary> n = find(numerator, direction);
        Optional<Summary> d = find(denominator, direction).filter(s -> s.mbps() > 0);
        return n.isPresent() && d.isPresent() ? Optional.of(n.get().mbps() / d.get().mbps()) : Optional.empty();
    }

    private Optional<Summary> find(Subject subject, Direction direction) {
        return summaries().stream().filter(s -> s.subject() == subject && s.direction() == direction).findFirst();
    }

    String console() {
        var out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-14s %-14s %10s %15s %9s %12s %12s%n",
                "case", "direction", "Mbit/s", rounds > 1 ? "min-max" : "", "retrans", "tunnel cores", "CPU-s / GB"));
        for (Summary s : summaries()) {
            out.append(String.format(Locale.ROOT, "%-14s %-14s %10.0f %15s %9.0f %12s %12s%n", s.subject().label(),
                    s.direction().label(), s.mbps(), rounds > 1 ? range(s) : "", s.retransmits(),
                    fixed(s.cores(), 2), fixed(s.cpuSecondsPerGigabyte(), 2)));
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
                .append(" s iperf3 warm-up in each direction (unmeasured) after it starts.");
        if (rounds > 1) {
            md.append(" The sequence ran ").append(rounds).append(" times (each tunnel\nstarted afresh every round);")
                    .append(" the tables give medians, and the range of the throughput.");
        }
        md.append("\n\n| | |\n|---|---|\n");
        row(md, "date", machine.date());
        row(md, "machine", machine.cpus() + " CPUs, " + machine.cpuModel() + ", " + machine.kernel());
        row(md, "JDK", machine.jdk());
        row(md, "wireguard-go", machine.wireguardGo());
        row(md, "iperf3", machine.iperf3());
        row(md, "braid", "commit " + machine.commit());
        row(md, "load average (1/5/15 min)", "before " + machine.loadAverage() + ", after " + loadAfter);
        md.append("\n## Throughput\n\n");
        md.append("| case | direction | Mbit/s |").append(rounds > 1 ? " min–max |" : "")
                .append(" TCP retransmits | tunnel CPU (cores) | tunnel CPU-s per GB |\n");
        md.append("|---|---|---:|").append(rounds > 1 ? "---:|" : "").append("---:|---:|---:|\n");
        for (Summary s : summaries()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %.0f |%s %.0f | %s | %s |%n", s.subject().label(), s.direction().label(),
                    s.mbps(), rounds > 1 ? " " + range(s) + " |" : "", s.retransmits(),
                    fixed(s.cores(), 2), fixed(s.cpuSecondsPerGigabyte(), 2)));
        }
        md.append("\n## Ratios\n\n");
        md.append("| direction | braid / wireguard-go | braid / veth | wireguard-go / veth |\n|---|---:|---:|---:|\n");
        for (Direction d : Direction.values()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", d.label(),
                    fixed(ratio(Subject.BRAID, Subject.WIREGUARD_GO, d), 2),
                    fixed(ratio(Subject.BRAID, Subject.VETH, d), 3), fixed(ratio(Subject.WIREGUARD_GO, Subject.VETH, d), 3)));
        }
        if (rounds > 1) {
            md.append("\n## Every run\n\n| round | case | direction | Mbit/s | TCP retransmits | tunnel CPU (cores) |\n")
                    .append("|---:|---|---|---:|---:|---:|\n");
            for (Measurement m : measurements) {
                md.append(String.format(Locale.ROOT, "| %d | %s | %s | %.0f | %d | %s |%n", m.round(), m.subject().label(),
                        m.direction().label(), m.mbps(), m.retransmits(), fixed(m.cores(), 2)));
            }
        }
        md.append("\nMbit/s is iperf3's goodput at the receiver; the iperf3 client is always in the left namespace.\n")
                .append("Tunnel CPU is user + system time of the two tunnel processes (both ends, all threads, JIT and GC\n")
                .append("included) from /proc/PID/stat over the run, divided by its wall time; per GB it is divided by the\n")
                .append("bytes delivered. Kernel work done in softirq context (veth, TCP) is not in it. With ")
                .append(machine.cpus()).append(" CPUs shared\nby both tunnel ends and both iperf3 ends,")
                .append(" the tunnel's CPU-s per GB is what bounds its rate. The load\naverage shows how much")
                .append(" other work the machine was doing at the time.\n");
        md.append("\n## Reproduce\n\n```\n").append(command).append("\n```\n\n")
                .append("Needs root, iproute2, iperf3, wireguard-go and wireguard-tools (the script installs the last three\n")
                .append("with apt-get when missing). It builds braid if needed and removes every namespace and process it made.\n");
        return md.toString();
    }

    private static String range(Summary s) {
        return String.format(Locale.ROOT, "%.0f–%.0f", s.minMbps(), s.maxMbps());
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(key).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
    }

    private static String fixed(Optional<Double> value, int decimals) {
        return value.map(v -> String.format(Locale.ROOT, "%." + decimals + "f", v)).orElse("—");
    }
}
