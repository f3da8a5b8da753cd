package net.braid.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.braid.cli.PortalPair;
import net.braid.cli.UdpEcho;
import net.braid.masque.h3.Certificates;
import net.braid.testbed.ExecResult;
import net.braid.testbed.Host;
import net.braid.testbed.Iperf3;
import net.braid.testbed.Iperf3Result;
import net.braid.testbed.Link;
import net.braid.testbed.Spawned;
import net.braid.testbed.Testbed;
import net.braid.testbed.Tools;

/**
 * MASQUE benchmark, run by {@code bench/masque}: seed 001's questions answered in one run.
 * <ol>
 * <li>Overhead per packet: tcpdump on the client–proxy veth while known inner sizes cross it —
 *     pings through {@code braid vpn} (CONNECT-IP), UDP payloads through the library's CONNECT-UDP
 *     client to an echo, pings through {@code braid up} — outer UDP payload minus inner size.</li>
 * <li>Throughput on a tbf-limited client–proxy link (default 200 Mbit/s) and unlimited: iperf3 TCP
 *     both ways and iperf3 UDP straight (the proxy namespace routing) and through CONNECT-IP; a paced
 *     UDP sender straight and through CONNECT-UDP into a counting sink; iperf3 TCP over
 *     {@code braid up} and the bare veth of its own pair.</li>
 * </ol>
 * Topology as VpnNetnsTest: client — proxy — server, with the proxy's CONNECT-IP egress through
 * a TUN and masquerade. Arguments: {@code [--seconds N] [--warmup N] [--rate-mbit N] [--out FILE] [--captures DIR]
 * [--command TEXT]}; {@code --captures} keeps the pcap files of the overhead phase.
 */
public final class Masque {
    private static final Duration READY = Duration.ofSeconds(60);
    private static final Pattern SENT = Pattern.compile("sent datagrams=(\\d+) bytes=(\\d+) refused=(\\d+) seconds=([\\d.]+)");
    private static final Pattern BURST = Pattern.compile("burst datagrams=(\\d+) bytes=(\\d+) seconds=([\\d.]+)");
    private static final String TOKEN = "bench-masque-token";
    private static final int PROXY_PORT = 4433;
    private static final int SINK_PORT = 9009;
    private static final int ECHO_PORT = 7007;
    private static final String PROXY_TUN = "bmq0";
    private static final String VPN_TUN = "bmqvpn0";
    /** Inner IPv4 packets of the overhead pings: ping -s (size − 28), far enough apart to tell apart. */
    static final List<Integer> INNER_IP_SIZES = List.of(100, 500, 1200);
    /** The same application payloads as CONNECT-UDP carries them (no inner IP and UDP/ICMP header). */
    static final List<Integer> UDP_PAYLOAD_SIZES = INNER_IP_SIZES.stream().map(s -> s - 28).toList();
    /** UDP payload of every UDP throughput test: fits CONNECT-UDP's DATAGRAM frames and the vpn's 1280-byte TUN. */
    static final int UDP_PAYLOAD = 1200;
    static final String DIRECT = "direct";
    static final String CONNECT_IP = "CONNECT-IP";
    static final String CONNECT_UDP = "CONNECT-UDP";
    static final String BRAID_UP = "braid up";
    static final String VETH = "direct veth";
    static final String TCP_UP = "TCP client → server";
    static final String TCP_DOWN = "TCP server → client";
    static final String UDP_IPERF = "UDP iperf3, 1200 B";
    static final String UDP_LOAD = "UDP paced sender, 1200 B";

    private int seconds = 5;
    private int warmup = 2;
    private long rateMbit = 200;
    private Path out = Path.of("docs/bench/masque.md");
    private String command = "sudo bench/masque";
    private Path captures;

    private final List<MasqueThroughput> results = new ArrayList<>();
    private final List<MasqueOverhead> overheads = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private Path dir;

    public static void main(String[] args) throws Exception {
        Masque bench = new Masque();
        try {
            bench.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("masque: " + e.getMessage());
            System.err.println("usage: bench/masque [--seconds N (default 5)] [--warmup N (default 2)] [--rate-mbit N (default 200)] [--out FILE] [--captures DIR]");
            System.exit(2);
        }
        Optional<String> unavailable = Testbed.available();
        if (unavailable.isPresent()) {
            System.err.println("masque: " + unavailable.get());
            System.exit(1);
        }
        Tools.require("ip", "ss", "ping", "iperf3", "tcpdump", "nft");
        System.exit(bench.run());
    }

    private void parse(String[] args) {
        var o = BenchArgs.parse(args, java.util.Set.of("--seconds", "--warmup", "--rate-mbit", "--out", "--command", "--captures"));
        seconds = BenchArgs.whole(o, "--seconds", 1, seconds);
        warmup = BenchArgs.whole(o, "--warmup", 0, warmup);
        rateMbit = BenchArgs.whole(o, "--rate-mbit", 1, (int) rateMbit);
        if (o.containsKey("--out")) out = Path.of(o.get("--out"));
        if (o.containsKey("--command")) command = o.get("--command");
        if (o.containsKey("--captures")) captures = Path.of(o.get("--captures"));
    }

    private List<String> links() {
        return List.of(rateMbit + " Mbit/s", "unlimited");
    }

    private int run() throws IOException, java.security.GeneralSecurityException {
        Machine machine = Machine.describe();
        dir = Files.createTempDirectory("braid-bench-masque-");
        String loadBefore = machine.loadAverage();
        try {
            try (Testbed bed = Testbed.create("mq")) {
                masque(bed);
            }
            try (PortalPair pair = PortalPair.create("mqup")) {
                braidUp(pair);
            }
        } finally {
            if (captures != null) {
                Files.createDirectories(captures);
                try (var pcaps = Files.list(dir)) {
                    for (Path p : pcaps.filter(p -> p.toString().endsWith(".pcap")).toList()) {
                        Files.copy(p, captures.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        var report = new MasqueReport(machine, seconds, rateMbit, loadBefore, Machine.currentLoadAverage(), command,
                overheads, results, notes);
        System.out.println();
        System.out.print(report.console());
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        Files.writeString(out, report.markdown());
        System.out.println("\nwrote " + out);
        return 0;
    }

    /** The three namespaces: direct first (the proxy namespace routing), then braid proxy with braid vpn and CONNECT-UDP. */
    private void masque(Testbed bed) throws IOException, java.security.GeneralSecurityException {
        Host client = bed.host("client");
        Host proxyHost = bed.host("proxy");
        Host server = bed.host("server");
        Link near = bed.link(client, proxyHost);
        Link far = bed.link(proxyHost, server);
        InetAddress proxyAddress = near.v4(proxyHost);
        InetAddress serverAddress = far.v4(server);
        say("namespaces %s — %s — %s; %d s per case; load average %s", client.namespace(), proxyHost.namespace(),
                server.namespace(), seconds, Machine.currentLoadAverage());

        Spawned sink = server.spawn(java(MasqueUdpSink.class, serverAddress.getHostAddress(), Integer.toString(SINK_PORT)));
        sink.awaitOutput("sink on", READY);

        // Direct: the proxy namespace routes, only for these cases (so later nothing reaches the server but the tunnel).
        String forwarding = proxyHost.exec("sysctl", "-n", "net.ipv4.ip_forward").stdout().strip();
        proxyHost.sysctl("net.ipv4.ip_forward", "1");
        client.run("ip", "route", "add", far.prefix4().toString(), "via", proxyAddress.getHostAddress());
        server.run("ip", "route", "add", near.prefix4().toString(), "via", far.v4(proxyHost).getHostAddress());
        // The sink's JVM warms up here, as the proxy's does before the tunnelled cases.
        warmUp(client, server, serverAddress, sink, List.of("--via", "direct"));
        for (String link : links()) {
            shape(near, link);
            tcp(link, TCP_UP, DIRECT, client, server, serverAddress, false, Optional.empty());
            tcp(link, TCP_DOWN, DIRECT, client, server, serverAddress, true, Optional.empty());
            udpIperf(link, DIRECT, client, server, serverAddress, Optional.empty());
            udpLoad(link, DIRECT, client, sink, List.of("--via", "direct"), serverAddress, Optional.empty());
        }
        client.run("ip", "route", "del", far.prefix4().toString());
        server.run("ip", "route", "del", near.prefix4().toString());
        proxyHost.sysctl("net.ipv4.ip_forward", forwarding);
        near.clearRate();

        Certificates.Identity identity = Certificates.selfSigned(List.of("localhost"), Duration.ofDays(1));
        Certificates.write(identity, dir.resolve("proxy.crt"), dir.resolve("proxy.key"));
        String pin = Certificates.spkiSha256(identity.leaf());
        Path proxyFile = Files.writeString(dir.resolve("edge.conf"), """
                [Proxy]
                Listen = %s:%d
                Token = %s
                Certificate = proxy.crt
                PrivateKey = proxy.key
                AllowTarget = 198.18.0.0/15

                [ConnectIp]
                Pool = 198.19.232.0/24
                Tun = %s
                """.formatted(proxyAddress.getHostAddress(), PROXY_PORT, TOKEN, PROXY_TUN));
        Path vpnFile = Files.writeString(dir.resolve("home.conf"), """
                [Vpn]
                Proxy = %s:%d
                Token = %s
                PinnedKey = sha256/%s
                Tun = %s
                """.formatted(proxyAddress.getHostAddress(), PROXY_PORT, TOKEN, pin, VPN_TUN));
        Spawned proxy = proxyHost.spawn(braid("proxy", proxyFile.toString(), "--control-dir", dir.resolve("proxy-control").toString()));
        proxy.awaitOutput("listening on UDP", READY);

        // CONNECT-IP overhead: the capture starts before the vpn connects, to see the long headers' connection IDs.
        Path ipCapture = dir.resolve("connect-ip.pcap");
        Spawned tcpdump = capture(client, near.device(client), PROXY_PORT, ipCapture);
        Spawned vpn = client.spawn(braid("vpn", vpnFile.toString(), "--control-dir", dir.resolve("vpn-control").toString()));
        vpn.awaitOutput("home up: ", READY);
        pings(client, serverAddress);
        stopCapture(tcpdump, ipCapture);
        overheadOfQuic(CONNECT_IP, ipCapture, INNER_IP_SIZES, PROXY_PORT, 0);

        // CONNECT-UDP overhead: UDP payloads through the library client to an echo.
        Spawned echo = server.spawn(java(UdpEcho.class, serverAddress.getHostAddress(), Integer.toString(ECHO_PORT)));
        echo.awaitOutput("echoing on", READY);
        Path udpCapture = dir.resolve("connect-udp.pcap");
        tcpdump = capture(client, near.device(client), PROXY_PORT, udpCapture);
        ExecResult echoed = client.exec(Duration.ofSeconds(120), java(MasqueUdpLoad.class, "--via", "masque",
                "--proxy", proxyAddress.getHostAddress() + ":" + PROXY_PORT, "--pin", pin, "--token", TOKEN,
                "--target", serverAddress.getHostAddress() + ":" + ECHO_PORT,
                "--echo", join(UDP_PAYLOAD_SIZES), "--count", "10"));
        stopCapture(tcpdump, udpCapture);
        echo.stop();
        say("CONNECT-UDP echo: %s", (echoed.stdout() + echoed.stderr()).strip());
        overheadOfQuic(CONNECT_UDP, udpCapture, UDP_PAYLOAD_SIZES, PROXY_PORT, 0);

        ProcessCpu tunnelCpu = ProcessCpu.of(proxy.handle(), vpn.handle());
        List<String> masqueArgs = List.of("--via", "masque", "--proxy", proxyAddress.getHostAddress() + ":" + PROXY_PORT,
                "--pin", pin, "--token", TOKEN);
        warmUp(client, server, serverAddress, sink, masqueArgs);
        ProcessCpu proxyCpu = ProcessCpu.of(proxy.handle());
        for (String link : links()) {
            shape(near, link);
            tcp(link, TCP_UP, CONNECT_IP, client, server, serverAddress, false, Optional.of(tunnelCpu));
            tcp(link, TCP_DOWN, CONNECT_IP, client, server, serverAddress, true, Optional.of(tunnelCpu));
            udpIperf(link, CONNECT_IP, client, server, serverAddress, Optional.of(tunnelCpu));
            udpLoad(link, CONNECT_UDP, client, sink, masqueArgs, serverAddress, Optional.of(proxyCpu));
        }
        near.clearRate();
        vpn.stop();
        proxy.stop();
        sink.stop();
    }

    /** braid's own UDP tunnel on a pair of its own, with that pair's bare veth as the baseline. */
    private void braidUp(PortalPair pair) {
        Host left = pair.left();
        Host right = pair.right();
        InetAddress far = PortalPair.addr(PortalPair.RIGHT_V4);
        Path capture = dir.resolve("braid-up.pcap");
        pair.start();
        Spawned tcpdump = capture(left, pair.link().device(left), PortalPair.PORT, capture);
        pings(left, far);
        stopCapture(tcpdump, capture);
        try {
            var parsed = MasquePcap.parse(Files.readAllBytes(capture));
            Predicate<MasquePcap.Datagram> toRight = d -> d.destinationPort() == PortalPair.PORT;
            MasqueOverhead.measure(BRAID_UP, "left → right", parsed.datagrams(), toRight, INNER_IP_SIZES).ifPresent(overheads::add);
            MasqueOverhead.measure(BRAID_UP, "right → left", parsed.datagrams(), toRight.negate(), INNER_IP_SIZES).ifPresent(overheads::add);
        } catch (IOException | RuntimeException e) {
            notes.add("braid up capture unreadable: " + firstLine(e));
        }
        ProcessCpu cpu = ProcessCpu.of(pair.process(left).handle(), pair.process(right).handle());
        if (warmup > 0) {
            try (Iperf3.Server iperf = Iperf3.server(right, far)) {
                Iperf3.client(left, iperf).seconds(warmup).run();
            } catch (RuntimeException e) {
                say("warm-up through braid up failed: %s", firstLine(e));
            }
        }
        for (String link : links()) {
            shape(pair.link(), link);
            InetAddress veth = pair.link().v4(right);
            tcp(link, TCP_UP, VETH, left, right, veth, false, Optional.empty());
            tcp(link, TCP_DOWN, VETH, left, right, veth, true, Optional.empty());
            tcp(link, TCP_UP, BRAID_UP, left, right, far, false, Optional.of(cpu));
            tcp(link, TCP_DOWN, BRAID_UP, left, right, far, true, Optional.of(cpu));
        }
        pair.link().clearRate();
    }

    /** Unmeasured: iperf3 TCP for --warmup seconds, and the UDP sender at the limited rate for as long (JIT of every JVM in the path). */
    private void warmUp(Host client, Host server, InetAddress serverAddress, Spawned sink, List<String> via) {
        if (warmup == 0) return;
        try (Iperf3.Server iperf = Iperf3.server(server, serverAddress)) {
            Iperf3.client(client, iperf).seconds(warmup).run();
        } catch (RuntimeException e) {
            say("TCP warm-up failed: %s", firstLine(e));
        }
        List<String> args = new ArrayList<>(via);
        args.addAll(List.of("--target", serverAddress.getHostAddress() + ":" + SINK_PORT, "--size", Integer.toString(UDP_PAYLOAD),
                "--rate", Long.toString(rateMbit * 1_000_000L), "--seconds", Integer.toString(warmup)));
        int before = count(BURST, sink.stdout());
        try {
            client.exec(Duration.ofSeconds(warmup + 60L), java(MasqueUdpLoad.class, args.toArray(String[]::new)));
            awaitBurst(sink, before);
        } catch (RuntimeException e) {
            say("UDP warm-up failed: %s", firstLine(e));
        }
    }

    private void shape(Link link, String label) {
        if (label.equals("unlimited")) {
            link.clearRate();
        } else {
            link.rate(rateMbit * 1_000_000L);
        }
        say("-- link %s (load average %s)", label, Machine.currentLoadAverage());
    }

    private static Optional<String> baseline(String carrier) {
        return switch (carrier) {
            case CONNECT_IP, CONNECT_UDP -> Optional.of(DIRECT);
            case BRAID_UP -> Optional.of(VETH);
            default -> Optional.empty();
        };
    }

    private void tcp(String link, String test, String carrier, Host client, Host server, InetAddress to, boolean reverse,
                     Optional<ProcessCpu> cpu) {
        try (Iperf3.Server iperf = Iperf3.server(server, to)) {
            Iperf3.Client run = Iperf3.client(client, iperf).seconds(seconds);
            if (reverse) run.reverse();
            CpuWatch watch = CpuWatch.start(cpu);
            Iperf3Result r = run.run();
            record(MasqueThroughput.measured(link, test, carrier, baseline(carrier), r.receivedMbps(),
                    r.retransmits() + " retransmits" + watch.cores()));
        } catch (RuntimeException e) {
            record(MasqueThroughput.failed(link, test, carrier, baseline(carrier), firstLine(e)));
        }
    }

    /** iperf3 UDP with 1200-byte payloads, offered at 1.25× the link rate or as fast as iperf3 sends ({@code -b 0}). */
    private void udpIperf(String link, String carrier, Host client, Host server, InetAddress to, Optional<ProcessCpu> cpu) {
        // Unlimited, a fixed 1 Gbit/s: with -b 0 iperf3's sender starves its own receiver on 2 cores.
        String rate = link.equals("unlimited") ? "1000000000" : Long.toString(rateMbit * 1_250_000L);
        try (Iperf3.Server iperf = Iperf3.server(server, to)) {
            CpuWatch watch = CpuWatch.start(cpu);
            ExecResult run = client.exec(Duration.ofSeconds(seconds + 30L), List.of("iperf3", "-c", to.getHostAddress(),
                    "-p", Integer.toString(iperf.port()), "-t", Integer.toString(seconds), "-J", "-u", "-b", rate,
                    "-l", Integer.toString(UDP_PAYLOAD)));
            Iperf3Result r = Iperf3Result.parse(run.stdout());
            record(MasqueThroughput.measured(link, UDP_IPERF, carrier, baseline(carrier), r.receivedMbps(),
                    String.format("offered %s, sent %.0f, lost %.1f %%%s", Long.parseLong(rate) / 1_000_000 + "M",
                            r.sentBitsPerSecond() / 1e6, r.lostPercent(), watch.cores())));
        } catch (RuntimeException e) {
            record(MasqueThroughput.failed(link, UDP_IPERF, carrier, baseline(carrier), firstLine(e)));
        }
    }

    /** The paced sender in the client namespace, straight or through CONNECT-UDP, into the sink; goodput as the sink counted it. */
    private void udpLoad(String link, String carrier, Host client, Spawned sink, List<String> via, InetAddress to,
                         Optional<ProcessCpu> cpu) {
        long rate = link.equals("unlimited") ? 0 : rateMbit * 1_250_000L;
        List<String> args = new ArrayList<>(via);
        args.addAll(List.of("--target", to.getHostAddress() + ":" + SINK_PORT, "--size", Integer.toString(UDP_PAYLOAD),
                "--rate", Long.toString(rate), "--seconds", Integer.toString(seconds)));
        int burstsBefore = count(BURST, sink.stdout());
        try {
            CpuWatch watch = CpuWatch.start(cpu);
            ExecResult run = client.exec(Duration.ofSeconds(seconds + 60L), java(MasqueUdpLoad.class, args.toArray(String[]::new)));
            String cores = watch.cores();
            Matcher sent = SENT.matcher(run.stdout());
            if (run.exitCode() != 0 || !sent.find()) {
                throw new IllegalStateException("sender exited " + run.exitCode() + ": " + (run.stdout() + run.stderr()).strip());
            }
            Matcher burst = awaitBurst(sink, burstsBefore);
            long bytes = Long.parseLong(burst.group(2));
            double span = Double.parseDouble(burst.group(3));
            double mbps = bytes * 8 / Math.max(span, 1e-3) / 1e6;
            long sentBytes = Long.parseLong(sent.group(2));
            double sentMbps = sentBytes * 8 / Double.parseDouble(sent.group(4)) / 1e6;
            record(MasqueThroughput.measured(link, UDP_LOAD, carrier, baseline(carrier), mbps,
                    String.format("offered %s, sent %.0f, delivered %.1f %%, refused %s%s", rate == 0 ? "max" : rate / 1_000_000 + "M",
                            sentMbps, 100.0 * bytes / Math.max(1, sentBytes), sent.group(3), cores)));
        } catch (RuntimeException e) {
            record(MasqueThroughput.failed(link, UDP_LOAD, carrier, baseline(carrier), firstLine(e)));
        }
    }

    private static Matcher awaitBurst(Spawned sink, int before) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            String text = sink.stdout();
            if (count(BURST, text) > before) {
                Matcher m = BURST.matcher(text);
                for (int i = 0; i <= before; i++) m.find();
                return m;
            }
            sleep(100);
        }
        throw new IllegalStateException("the sink counted nothing");
    }

    private static int count(Pattern p, String text) {
        return (int) p.matcher(text).results().count();
    }

    /** Pings of each inner size: 10 each, 50 ms apart (ping -s is the ICMP payload: inner size − 28). */
    private static void pings(Host from, InetAddress to) {
        for (int size : INNER_IP_SIZES) {
            ExecResult ping = from.exec(Duration.ofSeconds(30), "ping", "-n", "-q", "-c", "10", "-i", "0.05", "-W", "1",
                    "-s", Integer.toString(size - 28), to.getHostAddress());
            say("ping %d B: %s", size, ping.stdout().lines().filter(l -> l.contains("transmitted")).findFirst().orElse(ping.stderr().strip()));
        }
    }

    private static Predicate<MasquePcap.Datagram> toPort(int port) {
        return d -> d.destinationPort() == port;
    }

    /** Overhead both ways for one QUIC carrier; the session's stream is the connection's first request (quarter stream ID 0). */
    private void overheadOfQuic(String carrier, Path pcap, List<Integer> sizes, int proxyPort, long quarterStreamId) {
        MasquePcap.Capture parsed;
        try {
            parsed = MasquePcap.parse(Files.readAllBytes(pcap));
        } catch (IOException | RuntimeException e) {
            notes.add(carrier + " capture unreadable: " + firstLine(e));
            return;
        }
        if (parsed.laterFragments() > 0) {
            notes.add(carrier + ": " + parsed.laterFragments() + " IPv4 fragments in the capture (QUIC packets larger than the link MTU)");
        }
        Predicate<MasquePcap.Datagram> toProxy = toPort(proxyPort);
        Predicate<MasquePcap.Datagram> fromProxy = d -> d.sourcePort() == proxyPort;
        var ids = MasqueOverhead.connectionIds(parsed.datagrams(), fromProxy);
        if (ids.isEmpty()) notes.add(carrier + ": no long-header packet from the proxy in the capture; connection IDs unknown");
        int smallest = sizes.getFirst();
        for (boolean up : new boolean[] {true, false}) {
            Predicate<MasquePcap.Datagram> direction = up ? toProxy : fromProxy;
            var measured = MasqueOverhead.measure(carrier, up ? "client → proxy" : "proxy → client", parsed.datagrams(),
                    direction.and(MasqueOverhead::shortHeader), sizes);
            if (measured.isEmpty()) {
                notes.add(carrier + (up ? " client → proxy" : " proxy → client") + ": no datagram matched an inner size");
                continue;
            }
            MasqueOverhead m = measured.get();
            if (ids.isPresent()) {
                int dcid = up ? ids.get().toProxy() : ids.get().toClient();
                m = m.withQuic(MasqueOverhead.QuicBreakdown.of(m.min(), dcid, smallest, quarterStreamId, 0));
            }
            overheads.add(m);
            say("%s %s: %d packets, overhead min %d B, median %d B (+%d B IPv4/UDP)", carrier, m.direction(), m.samples(),
                    m.min(), m.median(), m.ipv4Udp());
        }
    }

    private Spawned capture(Host host, String device, int port, Path file) {
        Spawned s = host.spawn("tcpdump", "-i", device, "-n", "-s", "128", "-U", "-w", file.toString(), "udp", "port", Integer.toString(port));
        s.awaitOutput("listening on", Duration.ofSeconds(20));
        return s;
    }

    /**
     * Stops tcpdump once its file has stopped growing: on a loaded machine it writes well behind the
     * traffic, and what is still in its socket buffer when it is stopped is lost.
     */
    private static void stopCapture(Spawned tcpdump, Path file) {
        long size = -1;
        for (int i = 0; i < 40; i++) {
            sleep(500);
            long now = file.toFile().length();
            if (now == size) break;
            size = now;
        }
        tcpdump.stop();
    }

    private void record(MasqueThroughput r) {
        results.add(r);
        say("%-12s %-26s %-12s %s  %s", r.link(), r.test(), r.carrier(),
                r.mbps().map(m -> String.format("%8.1f Mbit/s", m)).orElse("  failed"), r.note());
    }

    /** CPU cores the tunnel processes kept busy between start and {@link #cores}. */
    private record CpuWatch(Optional<ProcessCpu> cpu, Duration before, long startNanos) {
        static CpuWatch start(Optional<ProcessCpu> cpu) {
            return new CpuWatch(cpu, cpu.map(ProcessCpu::total).orElse(Duration.ZERO), System.nanoTime());
        }

        String cores() {
            return cpu.map(c -> String.format(", tunnel CPU %.2f cores",
                    c.total().minus(before).toNanos() / (double) (System.nanoTime() - startNanos))).orElse("");
        }
    }

    private static String join(List<Integer> sizes) {
        return String.join(",", sizes.stream().map(String::valueOf).toList());
    }

    /** Like net.braid.cli.BraidProcess (package-private there): this JVM, this class path, main class Braid. */
    private static List<String> braid(String... args) {
        List<String> cmd = new ArrayList<>(jvm());
        cmd.add("net.braid.cli.Braid");
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static List<String> java(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>(jvm());
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static List<String> jvm() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"));
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.lines().findFirst().orElse(e.toString());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
        System.out.flush();
    }
}
