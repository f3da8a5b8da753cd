package net.braid.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.braid.bench.ForwardCase.Carrier;
import net.braid.testbed.Host;
import net.braid.testbed.Iperf3;
import net.braid.testbed.Iperf3Result;
import net.braid.testbed.Link;
import net.braid.testbed.Spawned;
import net.braid.testbed.Testbed;
import net.braid.testbed.Tools;

/**
 * Forward benchmark, run by {@code bench/forward}: one iperf3 TCP flow from a client namespace to a
 * server namespace, straight over the veth and through pairs of {@code braid forward} processes
 * (tcp→tcp, tcp→quic→tcp, tcp→ws→tcp), at several QUIC payload sizes and again at link MTU 1200.
 * Prints a table with ratios and writes the Markdown report.
 *
 * <p>Arguments: {@code [--seconds N] [--warmup N] [--out FILE] [--command TEXT] [--only TEXT,...]
 * [--repeat N] [--forward-args "ARGS"]}. {@code --only} keeps the cases whose "MTU label" contains
 * one of the texts (e.g. {@code "1500 tcp→quic,1500 tcp→tcp"}); {@code --repeat} runs the chosen
 * cases N times in turn, so a loaded machine's drift shows; {@code --forward-args} adds options
 * to both forwarders of the QUIC cases, for trying settings without a rebuild.
 */
public final class Forward {
    private static final Pattern PIN = Pattern.compile("--pin (\\S+)");
    private static final Duration READY = Duration.ofSeconds(30);
    private static final int CLIENT_PORT = 8080;

    private int seconds = 5;
    private int warmup = 3;
    private Path out = Path.of("docs/bench/forward.md");
    private String command = "sudo bench/forward";
    private int nextPort = 9000;
    private List<String> only = List.of();
    private int repeat = 1;
    private List<String> forwardArgs = List.of();

    public static void main(String[] args) throws IOException {
        Forward bench = new Forward();
        try {
            bench.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("forward: " + e.getMessage());
            System.err.println("usage: bench/forward [--seconds N (default 5)] [--warmup N (default 3, 0 = none)] [--out FILE]"
                    + " [--only 'MTU LABEL,...'] [--repeat N] [--forward-args 'ARGS']");
            System.exit(2);
        }
        Optional<String> unavailable = Testbed.available();
        if (unavailable.isPresent()) {
            System.err.println("forward: " + unavailable.get());
            System.exit(1);
        }
        Tools.require("ip", "ss", "iperf3");
        System.exit(bench.run());
    }

    private void parse(String[] args) {
        var o = BenchArgs.parse(args, java.util.Set.of("--seconds", "--warmup", "--out", "--command", "--only", "--repeat",
                "--forward-args"));
        seconds = BenchArgs.whole(o, "--seconds", 1, seconds);
        warmup = BenchArgs.whole(o, "--warmup", 0, warmup);
        repeat = BenchArgs.whole(o, "--repeat", 1, repeat);
        if (o.containsKey("--only")) only = List.of(o.get("--only").split(","));
        if (o.containsKey("--forward-args")) forwardArgs = List.of(o.get("--forward-args").trim().split("\\s+"));
        if (o.containsKey("--out")) out = Path.of(o.get("--out"));
        if (o.containsKey("--command")) command = o.get("--command");
    }

    /** The cases {@code --only} keeps, {@code --repeat} times over. */
    private List<ForwardCase> chosenCases() {
        List<ForwardCase> chosen = cases().stream()
                .filter(c -> only.isEmpty() || only.stream().anyMatch(o -> (c.linkMtu() + " " + c.label()).contains(o.trim())))
                .toList();
        List<ForwardCase> runs = new ArrayList<>();
        for (int i = 0; i < repeat; i++) {
            runs.addAll(chosen);
        }
        return runs;
    }

    static List<ForwardCase> cases() {
        List<ForwardCase> cases = new ArrayList<>();
        for (Carrier c : Carrier.values()) {
            cases.add(ForwardCase.of(c, 1500));
        }
        for (int payload : new int[] {1200, 1350, 1452}) {
            cases.add(ForwardCase.quic(1500, payload));
        }
        // direct too, so the MTU 1200 rows have their own baseline
        for (Carrier c : Carrier.values()) {
            cases.add(ForwardCase.of(c, 1200));
        }
        return cases;
    }

    private int run() throws IOException {
        Machine machine = Machine.describe();
        List<ForwardResult> results = new ArrayList<>();
        // Testbed's shutdown hook stops spawned processes and deletes the namespaces on Ctrl-C too.
        try (Testbed bed = Testbed.create("fwd")) {
            Host client = bed.host("client");
            Host server = bed.host("server");
            Link link = bed.link(client, server);
            InetAddress serverAddress = link.v4(server);
            say("namespaces %s and %s, veth %s <-> %s; %d s per case, load average %s", client.namespace(), server.namespace(),
                    link.v4(client).getHostAddress(), serverAddress.getHostAddress(), seconds, machine.loadAverage());
            int mtu = 1500;
            for (ForwardCase c : chosenCases()) {
                if (c.linkMtu() != mtu) {
                    mtu = c.linkMtu();
                    setMtu(link, client, mtu);
                    setMtu(link, server, mtu);
                    say("link MTU now %d", mtu);
                }
                ForwardResult r = measure(c, client, server, serverAddress);
                results.add(r);
                say("%-4d %-26s %s", c.linkMtu(), c.label(), r.mbps().map(m -> String.format("%8.0f Mbit/s, %d retransmits, loop CPU ms/MB client/server %s, load %s",
                                m, r.retransmits(), r.costText(), r.cost().map(ForwardResult.LoopCost::load).orElse("–")))
                        .orElse("failed: " + r.failure().orElse("?")));
            }
        }
        var report = new ForwardReport(machine, seconds, warmup, Machine.currentLoadAverage(), command, results);
        System.out.println();
        System.out.print(report.console());
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, report.markdown());
        System.out.println("\nwrote " + out);
        return 0;
    }

    private static void setMtu(Link link, Host host, int mtu) {
        host.run("ip", "link", "set", "dev", link.device(host), "mtu", Integer.toString(mtu));
    }

    /** Runs one case; a failure is recorded with its reason and the next case still runs. */
    private ForwardResult measure(ForwardCase c, Host client, Host server, InetAddress serverAddress) {
        List<Spawned> forwarders = new ArrayList<>();
        try {
            InetAddress target = serverAddress;
            int port = Iperf3.DEFAULT_PORT;
            if (c.carrier() != Carrier.DIRECT) {
                forwarders.addAll(startForwarders(c, client, server, serverAddress));
                target = InetAddress.getLoopbackAddress();
                port = CLIENT_PORT;
            }
            if (warmup > 0) {
                iperf(client, server, serverAddress, target, port, warmup);
            }
            double[] before = forwarders.stream().mapToDouble(f -> EventLoopCpu.millis(f.pid())).toArray();
            Iperf3Result result = iperf(client, server, serverAddress, target, port, seconds);
            ForwardResult measured = ForwardResult.measured(c, result.receivedMbps(), result.retransmits());
            if (forwarders.size() == 2) {
                double mb = result.receivedMbps() * seconds / 8; // 10^6 bytes through both forwarders
                measured = measured.withCost(new ForwardResult.LoopCost(
                        (EventLoopCpu.millis(forwarders.get(1).pid()) - before[1]) / mb,
                        (EventLoopCpu.millis(forwarders.get(0).pid()) - before[0]) / mb,
                        Machine.currentLoadAverage().split(" ")[0]));
            }
            return measured;
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(e.toString());
            forwarders.forEach(f -> System.err.println("forward: " + f + " stderr:\n" + tail(f.stderr()) + tail(f.stdout())));
            return ForwardResult.failed(c, why);
        } finally {
            for (Spawned f : forwarders) {
                try {
                    f.stop();
                } catch (RuntimeException e) {
                    System.err.println("forward: " + e.getMessage());
                }
            }
        }
    }

    private static Iperf3Result iperf(Host client, Host server, InetAddress serverAddress, InetAddress target, int port, int seconds) {
        try (Iperf3.Server iperf = Iperf3.server(server, serverAddress)) {
            return Iperf3.client(client, target).port(port).seconds(seconds).run();
        }
    }

    /** The server-side forwarder first (its pin is needed by the client side), then the client side. */
    private List<Spawned> startForwarders(ForwardCase c, Host client, Host server, InetAddress serverAddress) {
        String hop = c.carrier().scheme() + "://" + serverAddress.getHostAddress() + ":" + nextPort++;
        List<String> serverArgs = new ArrayList<>(List.of("forward", "--listen", hop,
                "--to", "tcp://" + serverAddress.getHostAddress() + ":" + Iperf3.DEFAULT_PORT));
        List<String> clientArgs = new ArrayList<>(List.of("forward", "--listen", "tcp://127.0.0.1:" + CLIENT_PORT, "--to", hop));
        if (c.carrier() == Carrier.QUIC) {
            serverArgs.addAll(List.of("--self-signed", serverAddress.getHostAddress()));
        }
        if (c.carrier() == Carrier.QUIC) {
            serverArgs.addAll(forwardArgs);
            clientArgs.addAll(forwardArgs);
        }
        c.quicPayload().ifPresent(p -> {
            serverArgs.addAll(List.of("--quic-payload", Integer.toString(p)));
            clientArgs.addAll(List.of("--quic-payload", Integer.toString(p)));
        });
        List<Spawned> started = new ArrayList<>();
        Spawned far = server.spawn(braid(serverArgs));
        started.add(far);
        try {
            far.awaitOutput("braid: forwarding", READY);
            if (c.carrier() == Carrier.QUIC) {
                Matcher m = PIN.matcher(far.stdout());
                if (!m.find()) {
                    throw new IllegalStateException("no pin in the output of " + far);
                }
                clientArgs.addAll(List.of("--pin", m.group(1)));
            }
            Spawned near = client.spawn(braid(clientArgs));
            started.add(near);
            near.awaitOutput("braid: forwarding", READY);
            return started;
        } catch (RuntimeException e) {
            started.forEach(Spawned::stop);
            throw e;
        }
    }

    /** Like net.braid.cli.BraidProcess (package-private there): this JVM, this class path, main class Braid. */
    private static List<String> braid(List<String> args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "net.braid.cli.Braid"));
        cmd.addAll(args);
        return cmd;
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())) + (lines.isEmpty() ? "" : "\n");
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
        System.out.flush();
    }
}
