package net.braid.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.braid.cli.MultipathPair;
import net.braid.cli.MultipathPair.PathReading;
import net.braid.testbed.Iperf3;
import net.braid.testbed.Iperf3Result;
import net.braid.testbed.Link;
import net.braid.testbed.Testbed;
import net.braid.testbed.Tools;

/**
 * Multipath benchmark, run by {@code bench/multipath}: for each set of tbf-limited veth links,
 * one TCP flow (iperf3 -P 1) over each link alone, then over braid with one {@code [Path]} per
 * link, on the same namespaces in one run. Reports braid against the sum of the direct links
 * and against the best one, and how the paths shared the flow.
 *
 * <p>Arguments: {@code [--seconds N] [--rounds N] [--out FILE] [--command TEXT]}. With several
 * rounds each case is measured that many times and the median is reported.
 */
public final class Multipath {
    /** One set of links: their rates in Mbit/s. */
    record Case(String name, long... mbps) {
        long sum() {
            long s = 0;
            for (long m : mbps) s += m;
            return s;
        }
    }

    record Result(Case c, double[] direct, double braid, long retransmits, double[] share, String load) {
        double sumDirect() {
            double s = 0;
            for (double d : direct) s += d;
            return s;
        }

        double bestDirect() {
            double b = 0;
            for (double d : direct) b = Math.max(b, d);
            return b;
        }
    }

    static final List<Case> CASES = List.of(
            new Case("2 equal links, 50 + 50 Mbit/s", 50, 50),
            new Case("1:4 links, 20 + 80 Mbit/s", 20, 80),
            new Case("4 links, 4 × 25 Mbit/s", 25, 25, 25, 25));

    private int seconds = 10;
    private int rounds = 1;
    private Path out = Path.of("docs/bench/multipath.md");
    private String command = "sudo bench/multipath";

    public static void main(String[] args) throws IOException {
        Multipath bench = new Multipath();
        try {
            var o = BenchArgs.parse(args, java.util.Set.of("--seconds", "--rounds", "--out", "--command"));
            bench.seconds = BenchArgs.whole(o, "--seconds", 2, bench.seconds);
            bench.rounds = BenchArgs.whole(o, "--rounds", 1, bench.rounds);
            if (o.containsKey("--out")) bench.out = Path.of(o.get("--out"));
            if (o.containsKey("--command")) bench.command = o.get("--command");
        } catch (IllegalArgumentException e) {
            System.err.println("multipath: " + e.getMessage());
            System.err.println("usage: bench/multipath [--seconds N (default 10)] [--rounds N (default 1)] [--out FILE]");
            System.exit(2);
        }
        Optional<String> unavailable = Testbed.available();
        if (unavailable.isPresent()) {
            System.err.println("multipath: " + unavailable.get());
            System.exit(1);
        }
        Tools.require("ip", "tc", "ping", "iperf3");
        Machine machine = Machine.describe();
        List<Result> results = new ArrayList<>();
        for (Case c : CASES) {
            List<Result> runs = new ArrayList<>();
            for (int r = 0; r < bench.rounds; r++) runs.add(bench.measure(c));
            runs.sort((a, b) -> Double.compare(a.braid(), b.braid()));
            Result median = runs.get(runs.size() / 2);
            results.add(median);
            say("%s: braid %.1f Mbit/s = %.2f of the sum %.1f, %.2f of the best link %.1f", c.name(), median.braid(),
                    median.braid() / median.sumDirect(), median.sumDirect(), median.braid() / median.bestDirect(),
                    median.bestDirect());
        }
        String report = bench.report(results, machine);
        Files.createDirectories(bench.out.toAbsolutePath().getParent());
        Files.writeString(bench.out, report);
        System.out.print(report);
        System.exit(0);
    }

    private Result measure(Case c) {
        int[] metrics = new int[c.mbps().length];
        try (MultipathPair pair = MultipathPair.create("mpbench", metrics)) {
            List<Link> links = pair.links();
            for (int i = 0; i < links.size(); i++) links.get(i).rate(c.mbps()[i] * 1_000_000L);
            double[] direct = new double[links.size()];
            for (int i = 0; i < links.size(); i++) {
                Link l = links.get(i);
                try (Iperf3.Server server = Iperf3.server(pair.right(), l.v4(pair.right()))) {
                    direct[i] = Iperf3.client(pair.left(), server).seconds(seconds).run().receivedMbps();
                }
                say("  %s: direct link %d alone %.1f Mbit/s", c.name(), i, direct[i]);
            }
            pair.start();
            pair.awaitReady();
            long[] before = tx(pair);
            Iperf3Result r;
            try (Iperf3.Server server = Iperf3.server(pair.right(), MultipathPair.addr(MultipathPair.RIGHT_V4))) {
                r = Iperf3.client(pair.left(), server).seconds(seconds).run();
            }
            long[] after = tx(pair);
            long total = 0;
            for (int i = 0; i < after.length; i++) total += after[i] - before[i];
            double[] share = new double[after.length];
            for (int i = 0; i < after.length; i++) share[i] = (double) (after[i] - before[i]) / Math.max(1, total);
            say("  %s: braid %.1f Mbit/s, %d retransmits", c.name(), r.receivedMbps(), r.retransmits());
            return new Result(c, direct, r.receivedMbps(), r.retransmits(), share, Machine.currentLoadAverage());
        }
    }

    private static long[] tx(MultipathPair pair) {
        String show = pair.show(pair.left());
        long[] out = new long[pair.links().size()];
        for (int i = 0; i < out.length; i++) {
            PathReading p = pair.leftPath(pair.links().get(i), show);
            out[i] = p.txBytes();
        }
        return out;
    }

    String report(List<Result> results, Machine machine) {
        StringBuilder b = new StringBuilder();
        b.append("# Multipath benchmark\n\n");
        b.append("One TCP flow (iperf3 -P 1, ").append(seconds).append(" s, left → right) over tbf-limited veth links between two\n")
                .append("namespaces: each link alone, then braid with one `[Path]` per link (BBR-like controllers, ECF\n")
                .append("scheduler), in the same run. ").append(rounds > 1 ? "Median of " + rounds + " rounds. " : "")
                .append("Written by `").append(command).append("` on ").append(Instant.now()).append(".\n\n");
        b.append(String.format("Machine: %d CPUs (%s), kernel %s, %s, iperf3 %s, commit %s, load average at start %s.%n%n",
                machine.cpus(), machine.cpuModel(), machine.kernel(), machine.jdk(), machine.iperf3(), machine.commit(),
                machine.loadAverage()));
        b.append("| links | direct, each (Mbit/s) | sum | best | braid | braid / sum | braid / best | retransmits | bytes per path | load avg |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            StringBuilder d = new StringBuilder();
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < r.direct().length; i++) {
                if (i > 0) {
                    d.append(" / ");
                    s.append(" / ");
                }
                d.append(String.format("%.1f", r.direct()[i]));
                s.append(String.format("%.0f %%", 100 * r.share()[i]));
            }
            b.append(String.format("| %s | %s | %.1f | %.1f | %.1f | %.2f | %.2f | %d | %s | %s |%n", r.c().name(), d,
                    r.sumDirect(), r.bestDirect(), r.braid(), r.braid() / r.sumDirect(), r.braid() / r.bestDirect(),
                    r.retransmits(), s, r.load()));
        }
        return b.toString();
    }

    private static void say(String format, Object... args) {
        System.err.printf(format + "%n", args);
    }
}
