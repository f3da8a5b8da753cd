package net.braid.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import net.braid.cli.MultipathPair;
import net.braid.cli.MultipathPair.PathReading;
import net.braid.testbed.ExecResult;
import net.braid.testbed.Host;
import net.braid.testbed.Iperf3;
import net.braid.testbed.Iperf3Result;
import net.braid.testbed.Link;
import net.braid.testbed.Testbed;
import net.braid.testbed.Tools;

/**
 * Multipath benchmark, run by {@code bench/multipath}. For each set of tbf-limited veth links:
 * one TCP flow (iperf3 -P 1) over each link alone, then over braid with one {@code [Path]} per
 * link, left → right and right → left, on the same namespaces in one run. The unequal-delay case
 * puts a relay per path in a middle namespace (the kernel has no netem). On two equal links it
 * also records a cut/restore timeline (per 100 ms, PNG plot) and ping RTT idle and under load.
 *
 * <p>{@code --compare-env K=V} runs braid left → right a second time with that variable in the
 * portals' environment, labelled "before": a before/after pair measured in one run, on one load.
 *
 * <p>Arguments: {@code [--seconds N] [--rounds N] [--out FILE] [--command TEXT] [--compare-env K=V]
 * [--only NAME-PART]}. With several rounds each case is measured that many times and the median is reported.
 */
public final class Multipath {
    /** One set of links: their rates in Mbit/s and, for relayed paths, one-way delays in ms. */
    record Case(String name, long[] mbps, long[] delayMs) {
        Case(String name, long... mbps) {
            this(name, mbps, new long[0]);
        }

        boolean relayed() { return delayMs.length > 0; }
    }

    /** One braid run: received Mbit/s, sender retransmits, each path's share of the bytes, the load then. */
    record Run(double mbps, long retransmits, double[] share, long late, String load) {}

    record Result(Case c, double[] direct, Run forward, Run before, Run reverse) {
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

    record Timeline(MultipathTimeline t, double remaining, double sum, String load) {}

    record Latency(MultipathRtt idle, MultipathRtt loaded, double loadedMbps, String load) {}

    static final List<Case> CASES = List.of(
            new Case("2 equal links, 50 + 50 Mbit/s", 50, 50),
            new Case("1:4 links, 20 + 80 Mbit/s", 20, 80),
            new Case("4 links, 4 × 25 Mbit/s", 25, 25, 25, 25),
            new Case("10 / 40 ms one way, 25 + 25 Mbit/s", new long[] {25, 25}, new long[] {10, 40}));

    static final double CUT_AT = 4, RESTORE_AT = 9, TIMELINE_SECONDS = 15;

    private int seconds = 10;
    private int rounds = 1;
    private Path out = Path.of("docs/bench/multipath.md");
    private String command = "sudo bench/multipath";
    private Map<String, String> compareEnv = Map.of();
    private String only = "";

    public static void main(String[] args) throws IOException {
        Multipath bench = new Multipath();
        try {
            var o = BenchArgs.parse(args, java.util.Set.of("--seconds", "--rounds", "--out", "--command", "--compare-env", "--only"));
            bench.seconds = BenchArgs.whole(o, "--seconds", 2, bench.seconds);
            bench.rounds = BenchArgs.whole(o, "--rounds", 1, bench.rounds);
            if (o.containsKey("--out")) bench.out = Path.of(o.get("--out"));
            if (o.containsKey("--command")) bench.command = o.get("--command");
            if (o.containsKey("--only")) bench.only = o.get("--only");
            if (o.containsKey("--compare-env")) {
                String kv = o.get("--compare-env");
                int eq = kv.indexOf('=');
                if (eq < 1) throw new IllegalArgumentException("--compare-env needs NAME=VALUE: " + kv);
                bench.compareEnv = Map.of(kv.substring(0, eq), kv.substring(eq + 1));
            }
        } catch (IllegalArgumentException e) {
            System.err.println("multipath: " + e.getMessage());
            System.err.println("usage: bench/multipath [--seconds N (default 10)] [--rounds N (default 1)] [--out FILE]"
                    + " [--compare-env NAME=VALUE] [--only NAME-PART]");
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
        List<String> failures = new ArrayList<>();
        for (Case c : CASES) {
            if (!c.name().contains(bench.only)) continue;
            List<Result> runs = new ArrayList<>();
            try {
                for (int r = 0; r < bench.rounds; r++) runs.add(bench.measure(c));
            } catch (RuntimeException | AssertionError e) {
                // one broken case must not cost the others' numbers
                String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                failures.add(c.name() + ": " + e.getClass().getSimpleName() + ": " + first);
                say("%s: failed: %s", c.name(), first);
                continue;
            }
            runs.sort((a, b) -> Double.compare(a.forward().mbps(), b.forward().mbps()));
            Result median = runs.get(runs.size() / 2);
            results.add(median);
            say("%s: braid %.1f Mbit/s = %.2f of the sum %.1f, %.2f of the best link %.1f", c.name(), median.forward().mbps(),
                    median.forward().mbps() / median.sumDirect(), median.sumDirect(),
                    median.forward().mbps() / median.bestDirect(), median.bestDirect());
        }
        Timeline timeline = null;
        Latency latency = null;
        if (CASES.getFirst().name().contains(bench.only)) {
            try {
                timeline = bench.timeline(CASES.getFirst());
                latency = bench.latency(CASES.getFirst());
            } catch (RuntimeException | AssertionError e) {
                failures.add("timeline or ping: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            }
        }
        Path png = bench.out.toAbsolutePath().resolveSibling("multipath-cut-restore.png");
        Files.createDirectories(bench.out.toAbsolutePath().getParent());
        if (timeline != null) {
            MultipathPlot.write(MultipathPlot.draw(timeline.t(), timeline.remaining(), timeline.sum(),
                    "one TCP flow over 2 × 50 Mbit/s: link B cut at " + (int) CUT_AT + " s, restored at " + (int) RESTORE_AT + " s"), png);
        }
        String report = bench.report(results, failures, timeline, latency, png.getFileName().toString(), machine);
        Files.writeString(bench.out, report);
        System.out.print(report);
        System.exit(0);
    }

    private MultipathPair pair(Case c) {
        if (c.relayed()) {
            Duration[] d = new Duration[c.delayMs().length];
            for (int i = 0; i < d.length; i++) d[i] = Duration.ofMillis(c.delayMs()[i]);
            return MultipathPair.createRelayed("mpbench", d);
        }
        return MultipathPair.create("mpbench", new int[c.mbps().length]);
    }

    /** The far end of link i for a direct measurement: the right portal's host, or the middle one when relayed. */
    private static Host far(MultipathPair pair, Link l) {
        return l.peer(pair.left());
    }

    private Result measure(Case c) {
        try (MultipathPair pair = pair(c)) {
            List<Link> links = pair.links();
            for (int i = 0; i < links.size(); i++) links.get(i).rate(c.mbps()[i] * 1_000_000L);
            double[] direct = new double[links.size()];
            for (int i = 0; i < links.size(); i++) {
                Link l = links.get(i);
                Host to = far(pair, l);
                try (Iperf3.Server server = Iperf3.server(to, l.v4(to))) {
                    direct[i] = Iperf3.client(pair.left(), server).seconds(seconds).run().receivedMbps();
                }
                say("  %s: direct link %d alone %.1f Mbit/s", c.name(), i, direct[i]);
            }
            Run before = null;
            if (!compareEnv.isEmpty()) {
                pair.portalEnvironment(compareEnv).start();
                pair.awaitReady();
                before = braid(pair, c, false, "before " + compareEnv);
                pair.stop();
                pair.portalEnvironment(Map.of());
            }
            pair.start();
            pair.awaitReady();
            Run forward = braid(pair, c, false, "after");
            Run reverse = braid(pair, c, true, "reverse");
            return new Result(c, direct, forward, before, reverse);
        }
    }

    /** One iperf3 run through the tunnel; {@code reverse}: right → left (the server in the left sends). */
    private Run braid(MultipathPair pair, Case c, boolean reverse, String label) {
        Host sender = reverse ? pair.right() : pair.left();
        long[] txBefore = tx(pair, sender);
        long lateBefore = late(pair, reverse ? pair.left() : pair.right());
        Iperf3Result r;
        try (Iperf3.Server server = Iperf3.server(pair.right(), MultipathPair.addr(MultipathPair.RIGHT_V4))) {
            var client = Iperf3.client(pair.left(), server).seconds(seconds);
            r = (reverse ? client.reverse() : client).run();
        }
        String load = Machine.currentLoadAverage();
        long[] after = tx(pair, sender);
        long late = late(pair, reverse ? pair.left() : pair.right()) - lateBefore;
        long total = 0;
        for (int i = 0; i < after.length; i++) total += after[i] - txBefore[i];
        double[] share = new double[after.length];
        for (int i = 0; i < after.length; i++) share[i] = (double) (after[i] - txBefore[i]) / Math.max(1, total);
        say("  %s: braid %s %.1f Mbit/s, %d retransmits, %d late at the receiver (load %s)", c.name(), label,
                r.receivedMbps(), r.retransmits(), late, load);
        return new Run(r.receivedMbps(), r.retransmits(), share, late, load);
    }

    /** Bytes each path sent, in link order, as the portal in {@code h} counts them. */
    private static long[] tx(MultipathPair pair, Host h) {
        String show = pair.show(h);
        var all = PathReading.all(show);
        long[] out = new long[pair.links().size()];
        if (h == pair.left()) {
            for (int i = 0; i < out.length; i++) out[i] = pair.leftPath(pair.links().get(i), show).txBytes();
        } else {
            // the accepting side numbers learnt paths in the order they arrived: the left's order
            all = all.stream().sorted((a, b) -> Integer.compare(Integer.parseInt(a.id()), Integer.parseInt(b.id()))).toList();
            for (int i = 0; i < out.length && i < all.size(); i++) out[i] = all.get(i).txBytes();
        }
        return out;
    }

    private static long late(MultipathPair pair, Host receiver) {
        return PathReading.all(pair.show(receiver)).stream().mapToLong(PathReading::latePackets).sum();
    }

    /**
     * Left → right for {@link #TIMELINE_SECONDS}, link B cut at {@link #CUT_AT} and restored at
     * {@link #RESTORE_AT}. The client runs in the right namespace with -R so that the report's
     * intervals are the receiver's.
     */
    private Timeline timeline(Case c) {
        try (MultipathPair pair = pair(c)) {
            List<Link> links = pair.links();
            for (int i = 0; i < links.size(); i++) links.get(i).rate(c.mbps()[i] * 1_000_000L);
            double[] direct = new double[links.size()];
            for (int i = 0; i < links.size(); i++) {
                Link l = links.get(i);
                try (Iperf3.Server server = Iperf3.server(pair.right(), l.v4(pair.right()))) {
                    direct[i] = Iperf3.client(pair.left(), server).seconds(seconds).run().receivedMbps();
                }
            }
            pair.start();
            pair.awaitReady();
            Link cut = links.get(1);
            String json;
            try (Iperf3.Server server = Iperf3.server(pair.left(), MultipathPair.addr(MultipathPair.LEFT_V4))) {
                List<String> argv = List.of(Tools.find("iperf3").orElseThrow().toString(), "-c", MultipathPair.LEFT_V4,
                        "-p", Integer.toString(server.port()), "-t", Integer.toString((int) TIMELINE_SECONDS), "-J",
                        "-i", "0.1", "-R");
                long t0 = System.nanoTime();
                var run = CompletableFuture.supplyAsync(() -> pair.right().exec(Duration.ofSeconds((long) TIMELINE_SECONDS + 30), argv));
                sleepUntil(t0, CUT_AT);
                cut.down();
                say("  timeline: link B cut at %.2f s", (System.nanoTime() - t0) / 1e9);
                sleepUntil(t0, RESTORE_AT);
                cut.up();
                say("  timeline: link B restored at %.2f s", (System.nanoTime() - t0) / 1e9);
                ExecResult r = run.join();
                json = r.stdout();
            }
            String load = Machine.currentLoadAverage();
            MultipathTimeline t = MultipathTimeline.parse(json, CUT_AT, RESTORE_AT);
            say("  timeline: before the cut %.1f, during %.1f, after %.1f Mbit/s (load %s)", t.mean(1, CUT_AT),
                    t.mean(CUT_AT + 1, RESTORE_AT), t.mean(RESTORE_AT + 3, TIMELINE_SECONDS), load);
            return new Timeline(t, direct[0], direct[0] + direct[1], load);
        }
    }

    private static void sleepUntil(long t0, double seconds) {
        long wait = t0 + (long) (seconds * 1e9) - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** Ping through the idle tunnel, then while one TCP flow saturates it left → right. */
    private Latency latency(Case c) {
        try (MultipathPair pair = pair(c)) {
            List<Link> links = pair.links();
            for (int i = 0; i < links.size(); i++) links.get(i).rate(c.mbps()[i] * 1_000_000L);
            pair.start();
            pair.awaitReady();
            MultipathRtt idle = ping(pair.left(), 40);
            Iperf3Result r;
            MultipathRtt loaded;
            try (Iperf3.Server server = Iperf3.server(pair.right(), MultipathPair.addr(MultipathPair.RIGHT_V4))) {
                var flow = CompletableFuture.supplyAsync(() -> Iperf3.client(pair.left(), server).seconds(seconds).run());
                sleepUntil(System.nanoTime(), 2); // past slow start
                loaded = ping(pair.left(), Math.max(10, (seconds - 3) * 10));
                r = flow.join();
            }
            String load = Machine.currentLoadAverage();
            say("  ping idle median %.2f ms p95 %.2f; under load (%.1f Mbit/s) median %.2f p95 %.2f (load %s)", idle.median(),
                    idle.quantile(0.95), r.receivedMbps(), loaded.median(), loaded.quantile(0.95), load);
            return new Latency(idle, loaded, r.receivedMbps(), load);
        }
    }

    private static MultipathRtt ping(Host from, int count) {
        ExecResult r = from.exec(Duration.ofSeconds(10 + count / 5), "ping", "-4", "-n", "-c", Integer.toString(count),
                "-i", "0.1", "-W", "2", MultipathPair.RIGHT_V4);
        return MultipathRtt.parse(r.stdout());
    }

    String report(List<Result> results, List<String> failures, Timeline timeline, Latency latency, String png, Machine machine) {
        StringBuilder b = new StringBuilder();
        b.append("# Multipath benchmark\n\n");
        b.append("One TCP flow (iperf3 -P 1, ").append(seconds).append(" s) over tbf-limited veth links between two\n")
                .append("namespaces: each link alone, then braid with one `[Path]` per link (BBR-like controllers, ECF\n")
                .append("scheduler), left → right (→) and right → left (←), in the same run. ")
                .append(rounds > 1 ? "Median of " + rounds + " rounds. " : "")
                .append("Written by `").append(command).append("` on ").append(Instant.now()).append(".\n\n");
        b.append(String.format("Machine: %d CPUs (%s), kernel %s, %s, iperf3 %s, commit %s, load average at start %s.%n%n",
                machine.cpus(), machine.cpuModel(), machine.kernel(), machine.jdk(), machine.iperf3(), machine.commit(),
                machine.loadAverage()));
        b.append("## Throughput\n\n");
        if (!compareEnv.isEmpty()) {
            b.append("\"before\" is braid → with `").append(compareEnv.keySet().iterator().next()).append('=')
                    .append(compareEnv.values().iterator().next()).append("` in both portals' environment, measured in the same run just before \"→\".\n\n");
        }
        b.append("| links | direct, each (Mbit/s) | sum | best |");
        if (!compareEnv.isEmpty()) b.append(" before → | before / sum | before retr. | before late | before load |");
        b.append(" braid → | → / sum | → / best | retransmits | late | bytes per path | load avg | braid ← | ← / sum | ← retr. | ← load |\n");
        b.append("|---|---|---|---|").append(compareEnv.isEmpty() ? "" : "---|---|---|---|---|")
                .append("---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            StringBuilder d = new StringBuilder();
            for (int i = 0; i < r.direct().length; i++) d.append(i > 0 ? " / " : "").append(String.format("%.1f", r.direct()[i]));
            StringBuilder s = new StringBuilder();
            Run f = r.forward();
            for (int i = 0; i < f.share().length; i++) s.append(i > 0 ? " / " : "").append(String.format("%.0f %%", 100 * f.share()[i]));
            b.append(String.format("| %s | %s | %.1f | %.1f |", r.c().name(), d, r.sumDirect(), r.bestDirect()));
            if (!compareEnv.isEmpty()) {
                Run p = r.before();
                b.append(String.format(" %.1f | %.2f | %d | %d | %s |", p.mbps(), p.mbps() / r.sumDirect(), p.retransmits(), p.late(), p.load()));
            }
            b.append(String.format(" %.1f | %.2f | %.2f | %d | %d | %s | %s | %.1f | %.2f | %d | %s |%n", f.mbps(), f.mbps() / r.sumDirect(),
                    f.mbps() / r.bestDirect(), f.retransmits(), f.late(), s, f.load(), r.reverse().mbps(),
                    r.reverse().mbps() / r.sumDirect(), r.reverse().retransmits(), r.reverse().load()));
        }
        b.append("\n\"late\": data packets the receiving portal got after its reorder stage had given up on them (`braid show`,\n")
                .append("`path.N.late_packets`), each a likely inner retransmit. The 10/40 ms case relays each path through a\n")
                .append("userspace impairment relay in a middle namespace; its \"direct\" numbers are the left—middle links without the delay.\n");
        if (!failures.isEmpty()) {
            b.append("\nFailed in this run:\n\n");
            for (String f : failures) b.append("- ").append(f).append('\n');
        }
        if (timeline != null) {
            MultipathTimeline t = timeline.t();
            double cutLevel = 0.9 * timeline.remaining();
            double sumLevel = 0.9 * timeline.sum();
            b.append("\n## Link cut and restore (2 × 50 Mbit/s, left → right)\n\n");
            b.append(String.format("Link B cut at %.0f s, restored at %.0f s (±0.1 s: the clock is the iperf3 client's); throughput per 100 ms at the receiver. Load average %s.%n%n",
                    CUT_AT, RESTORE_AT, timeline.load()));
            b.append("| | Mbit/s | fraction | target |\n|---|---|---|---|\n");
            b.append(String.format("| before the cut (1 s – cut) | %.1f | %.2f of the sum %.1f | |%n", t.mean(1, CUT_AT),
                    t.mean(1, CUT_AT) / timeline.sum(), timeline.sum()));
            b.append(String.format("| cut → 300 ms mean ≥ 90 %% of link A | %s | | ≤ 1 s |%n", seconds(t.secondsToReach(CUT_AT, RESTORE_AT, cutLevel))));
            b.append(String.format("| cut + 1 s – restore | %.1f | %.2f of link A %.1f | ≥ 0.90 |%n", t.mean(CUT_AT + 1, RESTORE_AT),
                    t.mean(CUT_AT + 1, RESTORE_AT) / timeline.remaining(), timeline.remaining()));
            b.append(String.format("| restore → 300 ms mean ≥ 90 %% of the sum | %s | | ≤ 3 s |%n",
                    seconds(t.secondsToReach(RESTORE_AT, TIMELINE_SECONDS, sumLevel))));
            b.append(String.format("| restore + 3 s – end | %.1f | %.2f of the sum | ≥ 0.90 |%n", t.mean(RESTORE_AT + 3, TIMELINE_SECONDS),
                    t.mean(RESTORE_AT + 3, TIMELINE_SECONDS) / timeline.sum()));
            b.append("\n![throughput per 100 ms across the cut and the restore](").append(png).append(")\n");
        }
        if (latency != null) {
            b.append("\n## Ping RTT through the tunnel (2 × 50 Mbit/s)\n\n");
            b.append("Idle: 40 pings 100 ms apart. Loaded: pings 100 ms apart from 2 s into one TCP flow left → right\n")
                    .append("(").append(String.format("%.1f", latency.loadedMbps())).append(" Mbit/s over the run). Target: loaded ≤ idle + 30 ms.\n\n");
            b.append("| | replies | median | p95 | max | load avg |\n|---|---|---|---|---|---|\n");
            for (var e : List.of(Map.entry("idle", latency.idle()), Map.entry("under load", latency.loaded()))) {
                MultipathRtt r = e.getValue();
                b.append(String.format("| %s | %d / %d | %.2f ms | %.2f ms | %.2f ms | %s |%n", e.getKey(), r.received(), r.transmitted(),
                        r.median(), r.quantile(0.95), r.quantile(1), latency.load()));
            }
        }
        return b.toString();
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "not reached" : String.format("%.1f s", s);
    }

    private static void say(String format, Object... args) {
        System.err.printf(format + "%n", args);
    }
}
