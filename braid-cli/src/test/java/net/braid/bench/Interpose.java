package net.braid.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.braid.bench.InterposeReport.Download;
import net.braid.testbed.ExecResult;
import net.braid.testbed.Host;
import net.braid.testbed.Link;
import net.braid.testbed.Spawned;
import net.braid.testbed.Testbed;
import net.braid.testbed.Tools;

/**
 * Seed 000's benchmark, run by {@code bench/interpose}: HTTP GETs of 10 kB to 100 MB by curl in a
 * client namespace from {@code python3 -m http.server} in a server namespace, direct (the proxy
 * namespace routes) and through {@code braid interpose} → {@code braid proxy} over HTTP/3 and
 * HTTP/2. Both ways share the namespaces and the running processes: the client's route to the
 * server's subnet, present in the main table, wins over interpose's captured route (its rule
 * consults main first, as wg-quick's does), so adding and deleting that one route switches between
 * direct and interposed, and the ways alternate within every repetition.
 *
 * <p>Arguments: {@code [--repeat N] [--warmup N] [--transports h3,h2] [--sizes 10000,...] [--out FILE] [--command TEXT]}.
 */
public final class Interpose {
    private static final Pattern PIN = Pattern.compile("--pin (\\S+)");
    private static final Duration READY = Duration.ofSeconds(60);
    private static final String TOKEN = "bench-interpose";
    private static final int PROXY_PORT = 4433;
    private static final int HTTP_PORT = 8000;
    private static final String TUN = "braidib0";

    private int repeat = 5;
    private int warmup = 1;
    private List<String> transports = List.of("h3", "h2");
    private List<Long> sizes = List.of(10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L);
    private Path out = Path.of("docs/bench/interpose.md");
    private String command = "sudo bench/interpose";
    private final List<Download> downloads = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public static void main(String[] args) throws IOException {
        Interpose bench = new Interpose();
        try {
            bench.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("interpose: " + e.getMessage());
            System.err.println("usage: bench/interpose [--repeat N (default 5)] [--warmup N (default 1)] [--transports h3,h2]"
                    + " [--sizes BYTES,...] [--out FILE]");
            System.exit(2);
        }
        Optional<String> unavailable = Testbed.available();
        if (unavailable.isPresent()) {
            System.err.println("interpose: " + unavailable.get());
            System.exit(1);
        }
        Tools.require("ip", "curl", "python3");
        System.exit(bench.run());
    }

    private void parse(String[] args) {
        var o = BenchArgs.parse(args, Set.of("--repeat", "--warmup", "--transports", "--sizes", "--out", "--command"));
        repeat = BenchArgs.whole(o, "--repeat", 1, repeat);
        warmup = BenchArgs.whole(o, "--warmup", 0, warmup);
        if (o.containsKey("--transports")) {
            transports = List.of(o.get("--transports").split(","));
            for (String t : transports) {
                if (!t.equals("h3") && !t.equals("h2")) throw new IllegalArgumentException("--transports takes h3 and h2: " + t);
            }
        }
        if (o.containsKey("--sizes")) {
            try {
                sizes = List.of(o.get("--sizes").split(",")).stream().map(s -> Long.parseLong(s.strip())).sorted().toList();
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--sizes takes byte counts: " + o.get("--sizes"));
            }
        }
        if (o.containsKey("--out")) out = Path.of(o.get("--out"));
        if (o.containsKey("--command")) command = o.get("--command");
    }

    private int run() throws IOException {
        Machine machine = Machine.describe();
        Path dir = Files.createTempDirectory("braid-bench-interpose");
        try (Testbed bed = Testbed.create("ibench")) {
            Host client = bed.host("client");
            Host proxyHost = bed.host("proxy");
            Host server = bed.host("server");
            Link near = bed.link(client, proxyHost);
            Link far = bed.link(proxyHost, server);
            proxyHost.router();
            server.route(near.prefix4().toString(), far);
            InetAddress proxyAddress = near.v4(proxyHost);
            String serverIp = far.v4(server).getHostAddress();
            say("namespaces %s — %s — %s; %d repetitions; load average %s", client.namespace(), proxyHost.namespace(),
                    server.namespace(), repeat, machine.loadAverage());

            Path www = Files.createDirectories(dir.resolve("www"));
            for (long size : sizes) writeRandom(www.resolve(Long.toString(size)), size);
            Path proxyConf = Files.writeString(dir.resolve("edge.conf"), """
                    [Proxy]
                    Listen = %s:%d
                    ListenTcp = %1$s:%2$d
                    Token = %s
                    AllowTarget = 198.18.0.0/15
                    """.formatted(proxyAddress.getHostAddress(), PROXY_PORT, TOKEN));
            List<Spawned> started = new ArrayList<>();
            try {
                Spawned http = server.spawn(List.of("python3", "-m", "http.server", "--bind", serverIp,
                        "--directory", www.toString(), Integer.toString(HTTP_PORT)));
                started.add(http);
                Spawned proxy = proxyHost.spawn(braid("proxy", proxyConf.toString(), "--control-dir", dir.resolve("pc").toString()));
                started.add(proxy);
                proxy.awaitOutput("listening on UDP", READY);
                Matcher pin = PIN.matcher(proxy.stdout());
                if (!pin.find()) throw new IllegalStateException("no pin in the output of braid proxy:\n" + proxy.stdout());
                Direct direct = new Direct(client, far.prefix4().toString(), proxyAddress.getHostAddress());
                for (String transport : transports) {
                    Path conf = Files.writeString(dir.resolve("interpose-" + transport + ".conf"), """
                            [Interpose]
                            Proxy = %s:%d
                            Token = %s
                            PinnedKey = %s
                            Tun = %s
                            Address = 198.19.250.1/24
                            Route = %s
                            Transport = %s
                            """.formatted(proxyAddress.getHostAddress(), PROXY_PORT, TOKEN, pin.group(1), TUN,
                            far.prefix4(), transport));
                    Spawned interpose = client.spawn(braid("interpose", conf.toString(), "--control-dir",
                            dir.resolve("ic-" + transport).toString()));
                    try {
                        interpose.awaitOutput("connected to proxy", READY);
                        measure(transport, client, serverIp, direct, ProcessCpu.of(interpose.handle()), ProcessCpu.of(proxy.handle()));
                    } catch (RuntimeException e) {
                        String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
                        notes.add(transport + " stopped early: " + why);
                        System.err.println("interpose: " + transport + ": " + e.getMessage() + "\n" + interpose.stderr());
                    } finally {
                        direct.off();
                        interpose.stop();
                    }
                }
            } finally {
                for (Spawned s : started.reversed()) s.stop();
            }
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
        var report = new InterposeReport(machine, repeat, machine.loadAverage(), Machine.currentLoadAverage(), command,
                downloads, notes);
        System.out.println();
        System.out.print(report.console());
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        Files.writeString(out, report.markdown() + keptNotes(out));
        System.out.println("\nwrote " + out);
        return 0;
    }

    /** The hand-written part of an earlier report (from {@link InterposeReport#NOTES} on), kept across runs. */
    private static String keptNotes(Path report) throws IOException {
        if (!Files.exists(report)) return "";
        String old = Files.readString(report);
        int at = old.indexOf(InterposeReport.NOTES);
        return at < 0 ? "" : "\n" + old.substring(at);
    }

    /** Warm-up (unrecorded), then {@code repeat} rounds of every size, direct and interposed in turn. */
    private void measure(String transport, Host client, String serverIp, Direct direct, ProcessCpu interpose, ProcessCpu proxy) {
        direct.off();
        awaitHttp(client, serverIp);
        for (int i = 0; i < warmup; i++) {
            for (long size : sizes) {
                direct.on();
                get(client, serverIp, size);
                direct.off();
                get(client, serverIp, size);
            }
        }
        for (int r = 0; r < repeat; r++) {
            for (long size : sizes) {
                direct.on();
                record(InterposeReport.DIRECT, client, serverIp, size, Optional.empty());
                direct.off();
                record(transport, client, serverIp, size, Optional.of(new ProcessCpu[] {interpose, proxy}));
            }
        }
    }

    /** One recorded download; {@code cpu} (interpose, proxy) is charged with what the two processes spent meanwhile. */
    private void record(String way, Host client, String serverIp, long size, Optional<ProcessCpu[]> cpu) {
        String load = Machine.currentLoadAverage().split(" ")[0];
        double[] before = cpu.map(c -> new double[] {seconds(c[0]), seconds(c[1])}).orElse(null);
        Optional<Double> t = get(client, serverIp, size);
        Download d = t.map(s -> Download.of(way, size, s, load)).orElseGet(() -> Download.failed(way, size, load));
        if (before != null) {
            ProcessCpu[] c = cpu.get();
            d = d.withCpu(new InterposeReport.Cpu(seconds(c[0]) - before[0], seconds(c[1]) - before[1]));
        }
        downloads.add(d);
        say("%-6s %7s %s (load %s)", way, InterposeReport.size(size), t.map(s -> String.format("%8.1f ms", s * 1000)).orElse("failed"), load);
    }

    /** One curl GET, its {@code time_total} in seconds; empty if it failed or came back short. */
    private static Optional<Double> get(Host client, String serverIp, long size) {
        ExecResult r = client.exec(Duration.ofSeconds(320), "curl", "-sS", "--max-time", "300", "-o", "/dev/null",
                "-w", "%{time_total} %{size_download}", "http://" + serverIp + ":" + HTTP_PORT + "/" + size);
        String[] f = r.stdout().strip().split(" ");
        if (r.exitCode() != 0 || f.length != 2 || Long.parseLong(f[1]) != size) {
            System.err.println("interpose: curl of " + size + " failed: " + r.stdout() + " " + r.stderr());
            return Optional.empty();
        }
        return Optional.of(Double.parseDouble(f[0]));
    }

    private static double seconds(ProcessCpu cpu) {
        return cpu.total().toNanos() / 1e9;
    }

    private static void awaitHttp(Host client, String serverIp) {
        for (int i = 0; i < 30; i++) {
            if (get(client, serverIp, 10_000).isPresent()) return;
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("the server never answered through braid interpose");
    }

    /** The client's route to the server's subnet through the routing proxy namespace: present = direct. */
    private record Direct(Host client, String prefix, String via) {
        void on() {
            client.run("ip", "-4", "route", "replace", prefix, "via", via);
        }

        void off() {
            client.exec("ip", "-4", "route", "del", prefix, "via", via);
        }
    }

    private static void writeRandom(Path file, long size) throws IOException {
        Random random = new Random(size);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream o = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                o.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
    }

    /** Like net.braid.cli.BraidProcess (package-private there): this JVM, this class path, main class Braid. */
    private static List<String> braid(String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "net.braid.cli.Braid"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
        System.out.flush();
    }
}
