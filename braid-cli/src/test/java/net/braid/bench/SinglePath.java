package net.braid.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.braid.cli.PortalPair;
import net.braid.testbed.Host;
import net.braid.testbed.Iperf3;
import net.braid.testbed.Ping;
import net.braid.testbed.PingResult;
import net.braid.testbed.Testbed;
import net.braid.testbed.Tools;

/**
 * Single-path benchmark, run by {@code bench/single-path}: one TCP flow each way between two
 * namespaces over (1) the bare veth, (2) wireguard-go, (3) braid, all on the same namespaces in
 * one run, so the ratios compare like with like. Prints a table and writes the Markdown report.
 *
 * <p>Arguments: {@code [--seconds N] [--warmup N] [--rounds N] [--out FILE] [--command TEXT]}. With several
 * rounds the three cases take turns, so a change in the machine's background load hits all of them.
 */
public final class SinglePath {
    private int seconds = 10;
    private int warmup = 2;
    private int rounds = 1;
    private Path out = Path.of("docs/bench/single-path.md");
    private String command = "sudo bench/single-path";

    private PortalPair pair;
    private WireguardGoPair wireguard;
    private volatile boolean interrupted;

    public static void main(String[] args) throws IOException {
        SinglePath bench = new SinglePath();
        try {
            bench.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("single-path: " + e.getMessage());
            System.err.println("usage: bench/single-path [--seconds N (default 10)] [--warmup N (default 2)] [--rounds N (default 1)] [--out FILE]");
            System.exit(2);
        }
        Optional<String> unavailable = Testbed.available();
        if (unavailable.isPresent()) {
            System.err.println("single-path: " + unavailable.get());
            System.exit(1);
        }
        Tools.require("ip", "ss", "ping", "iperf3", "wireguard-go", "wg");
        int status;
        try {
            status = bench.run();
        } catch (RuntimeException e) {
            if (bench.interrupted) {
                // Ctrl-C or SIGTERM: the shutdown hooks have removed everything; the failure that
                // followed is only the run noticing it.
                System.err.println("single-path: interrupted; namespaces and processes removed");
                return;
            }
            throw e;
        }
        System.exit(status);
    }

    private void parse(String[] args) {
        var o = BenchArgs.parse(args, java.util.Set.of("--seconds", "--warmup", "--out", "--command", "--rounds"));
        seconds = BenchArgs.whole(o, "--seconds", 1, seconds);
        warmup = BenchArgs.whole(o, "--warmup", 0, warmup);
        rounds = BenchArgs.whole(o, "--rounds", 1, rounds);
        if (o.containsKey("--out")) out = Path.of(o.get("--out"));
        if (o.containsKey("--command")) command = o.get("--command");
    }

    private int run() throws IOException {
        Machine machine = Machine.describe();
        // Ctrl-C: the test bed's own hook removes namespaces and processes; this one also removes
        // wireguard-go's key files and sockets and the portal configurations.
        Thread cleanup = Thread.ofPlatform().unstarted(() -> {
            interrupted = true;
            cleanUp();
        });
        Runtime.getRuntime().addShutdownHook(cleanup);
        List<Measurement> results = new ArrayList<>();
        try {
            pair = PortalPair.create("single");
            Host left = pair.left();
            Host right = pair.right();
            say("namespaces %s and %s, veth %s <-> %s; %d s per direction, %d round(s), load average %s",
                    left.namespace(), right.namespace(), pair.link().v4(left).getHostAddress(),
                    pair.link().v4(right).getHostAddress(), seconds, rounds, machine.loadAverage());
            for (int round = 1; round <= rounds; round++) {
                if (rounds > 1) {
                    say("round %d of %d", round, rounds);
                }
                for (Direction d : Direction.values()) {
                    results.add(report(ThroughputRun.measure(round, Subject.VETH, d, left, right, pair.link().v4(right),
                            seconds, Optional.empty())));
                }

                wireguard = WireguardGoPair.start(pair);
                results.addAll(throughTunnel(round, Subject.WIREGUARD_GO, new ProcessCpu(wireguard.processes())));
                wireguard.close();

                pair.start();
                results.addAll(throughTunnel(round, Subject.BRAID,
                        ProcessCpu.of(pair.process(left).handle(), pair.process(right).handle())));
                pair.stop(left);
                pair.stop(right);
            }
        } finally {
            cleanUp();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs, and finds nothing left to do
            }
        }
        var report = new SinglePathReport(machine, seconds, warmup, rounds, Machine.currentLoadAverage(), command, results);
        System.out.println();
        System.out.print(report.console());
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, report.markdown());
        System.out.println("\nwrote " + out);
        return 0;
    }

    /** Checks the tunnel carries pings (which also completes its handshake), warms it up, then measures both ways. */
    private List<Measurement> throughTunnel(int round, Subject subject, ProcessCpu cpu) {
        InetAddress far = PortalPair.addr(PortalPair.RIGHT_V4);
        PingResult ping = Ping.run(pair.left(), far, 5);
        if (ping.received() == 0) {
            throw new IllegalStateException(subject.label() + ": no ping replies from " + far.getHostAddress() + " through the tunnel");
        }
        say("%s up: ping %d/%d, avg %.3f ms", subject.label(), ping.received(), ping.transmitted(), ping.rttAvgMs());
        if (warmup > 0) {
            // Both directions: each runs different code paths of each portal (send vs receive).
            try (Iperf3.Server server = Iperf3.server(pair.right(), far)) {
                Iperf3.client(pair.left(), server).seconds(warmup).run();
            }
            try (Iperf3.Server server = Iperf3.server(pair.right(), far)) {
                Iperf3.client(pair.left(), server).seconds(warmup).reverse().run();
            }
        }
        List<Measurement> results = new ArrayList<>();
        for (Direction d : Direction.values()) {
            results.add(report(ThroughputRun.measure(round, subject, d, pair.left(), pair.right(), far, seconds, Optional.of(cpu))));
        }
        return results;
    }

    private static Measurement report(Measurement m) {
        say("%-13s %-13s %8.0f Mbit/s%s", m.subject().label(), m.direction().label(), m.mbps(),
                m.cores().map(c -> String.format("  (tunnel CPU %.2f cores)", c)).orElse(""));
        return m;
    }

    private synchronized void cleanUp() {
        List<RuntimeException> failures = new ArrayList<>();
        if (wireguard != null) {
            try {
                wireguard.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (pair != null) {
            try {
                pair.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        failures.forEach(e -> System.err.println("single-path cleanup: " + e.getMessage()));
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
        System.out.flush();
    }
}
