package net.braid.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;
import net.braid.cli.control.ControlStatus;
import net.braid.config.Bind;
import net.braid.config.ConfigWriter;
import net.braid.config.Endpoint;
import net.braid.config.InterfaceSection;
import net.braid.config.IpPrefix;
import net.braid.config.PathSection;
import net.braid.config.PeerSection;
import net.braid.config.Transport;
import net.braid.config.TunnelConfig;
import net.braid.config.X25519Key;
import net.braid.crypto.KeyPair;
import net.braid.testbed.Host;
import net.braid.testbed.Link;
import net.braid.testbed.PingResult;
import net.braid.testbed.Spawned;
import net.braid.testbed.Testbed;
import net.braid.testbed.impair.ImpairedPath;

/**
 * Two portals in two namespaces joined by veth links (two, A and B, unless asked for more), each
 * a real {@code braid up} process. The left portal has one {@code [Path]} per link (bound to its address on that link,
 * Endpoint the right's address on it); the right one only accepts on its ListenPort and learns
 * both paths from the left's packets.
 *
 * <p>{@link #createRelayed} puts a middle namespace between them instead: link i joins left and
 * middle, where an {@link ImpairedPath} relay delays path i's datagrams (this kernel has no
 * netem) and forwards them over one shared middle—right link to the right portal.
 */
public final class MultipathPair implements AutoCloseable {
    static final int PORT = 51820;
    /** Relay i listens on the middle's address on link i, this port + i. */
    static final int RELAY_PORT = 7100;
    public static final String LEFT_V4 = "198.19.200.1";
    public static final String RIGHT_V4 = "198.19.200.2";

    private final Testbed bed;
    private final Host left;
    private final Host right;
    private final List<Link> links;
    private final Path dir;
    /** Where the left portal's path i sends: the right's address on link i, or relay i. */
    private final List<InetSocketAddress> endpoints;
    private final List<ImpairedPath> relays = new ArrayList<>();
    private Map<String, String> portalEnvironment = Map.of();
    private Spawned leftProcess;
    private Spawned rightProcess;

    private MultipathPair(Testbed bed, Host left, Host right, List<Link> links, Path dir,
                          List<InetSocketAddress> endpoints) {
        this.bed = bed;
        this.left = left;
        this.right = right;
        this.links = links;
        this.dir = dir;
        this.endpoints = endpoints;
    }

    /** Builds namespaces, links and configurations; link B's path gets {@code metricB}. Nothing runs yet. */
    static MultipathPair create(String label, int metricB) {
        return create(label, new int[] {0, metricB});
    }

    /** One link and one path per entry of {@code metrics}, the path having that metric. Nothing runs yet. */
    public static MultipathPair create(String label, int... metrics) {
        Testbed bed = Testbed.create(label);
        try {
            Host left = bed.host("left");
            Host right = bed.host("right");
            List<Link> links = new ArrayList<>();
            for (int i = 0; i < metrics.length; i++) links.add(bed.link(left, right));
            Path dir = Files.createTempDirectory("braid-" + label + "-");
            List<InetSocketAddress> endpoints = links.stream().map(l -> new InetSocketAddress(l.v4(right), PORT)).toList();
            MultipathPair pair = new MultipathPair(bed, left, right, List.copyOf(links), dir, endpoints);
            pair.writeConfigs(metrics);
            return pair;
        } catch (IOException | RuntimeException e) {
            bed.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /**
     * One path per entry of {@code oneWayDelays}, each through its own link to a middle namespace
     * and a relay there that delays both directions by that much; the relays run, the portals not
     * yet. Rate limits go on {@link #links()} as usual (the left—middle links).
     */
    public static MultipathPair createRelayed(String label, Duration... oneWayDelays) {
        Testbed bed = Testbed.create(label);
        MultipathPair pair = null;
        try {
            Host left = bed.host("left");
            Host middle = bed.host("middle");
            Host right = bed.host("right");
            List<Link> links = new ArrayList<>();
            for (int i = 0; i < oneWayDelays.length; i++) links.add(bed.link(left, middle));
            Link toRight = bed.link(middle, right);
            Path dir = Files.createTempDirectory("braid-" + label + "-");
            List<InetSocketAddress> endpoints = new ArrayList<>();
            for (int i = 0; i < links.size(); i++) endpoints.add(new InetSocketAddress(links.get(i).v4(middle), RELAY_PORT + i));
            pair = new MultipathPair(bed, left, right, List.copyOf(links), dir, List.copyOf(endpoints));
            for (int i = 0; i < links.size(); i++) {
                pair.relays.add(ImpairedPath.through(middle, links.get(i), toRight).ports(RELAY_PORT + i, PORT)
                        .options("--delay", oneWayDelays[i].toMillis() + "ms").start());
            }
            pair.writeConfigs(new int[oneWayDelays.length]);
            return pair;
        } catch (IOException | RuntimeException e) {
            if (pair != null) {
                pair.close();
            } else {
                bed.close();
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** Environment variables for the portals started after this (e.g. BRAID_PATH_TRACE). */
    public MultipathPair portalEnvironment(Map<String, String> environment) {
        this.portalEnvironment = Map.copyOf(environment);
        return this;
    }

    private void writeConfigs(int[] metrics) throws IOException {
        KeyPair l = KeyPair.generate();
        KeyPair r = KeyPair.generate();
        List<PathSection> paths = new ArrayList<>();
        for (int i = 0; i < metrics.length; i++) paths.add(path(links.get(i), metrics[i]));
        TunnelConfig leftCfg = new TunnelConfig(
                new InterfaceSection(new X25519Key(l.privateKey()), List.of(IpPrefix.parse(LEFT_V4 + "/24")),
                        1420, OptionalInt.empty(), "braid0", OptionalInt.empty()),
                List.of(new PeerSection(new X25519Key(r.publicKey()), Optional.empty(),
                        List.of(IpPrefix.parse(RIGHT_V4 + "/32")), OptionalInt.empty(), paths)));
        TunnelConfig rightCfg = new TunnelConfig(
                new InterfaceSection(new X25519Key(r.privateKey()), List.of(IpPrefix.parse(RIGHT_V4 + "/24")),
                        1420, OptionalInt.of(PORT), "braid0", OptionalInt.empty()),
                List.of(new PeerSection(new X25519Key(l.publicKey()), Optional.empty(),
                        List.of(IpPrefix.parse(LEFT_V4 + "/32")))));
        Files.writeString(config(left), ConfigWriter.render(leftCfg));
        Files.writeString(config(right), ConfigWriter.render(rightCfg));
    }

    private PathSection path(Link link, int metric) {
        InetSocketAddress to = endpoints.get(links.indexOf(link));
        return new PathSection(Transport.UDP, Optional.of(new Bind.Address(link.v4(left))),
                Optional.of(new Endpoint(to.getAddress().getHostAddress(), to.getPort())), metric);
    }

    Path config(Host h) { return dir.resolve(h == left ? "left.conf" : "right.conf"); }
    private Path controlDir(Host h) { return dir.resolve(h == left ? "ctl-left" : "ctl-right"); }

    public Host left() { return left; }
    public Host right() { return right; }
    Link linkA() { return links.get(0); }
    Link linkB() { return links.get(1); }
    public List<Link> links() { return links; }
    /** The delay relays of {@link #createRelayed}, one per path in link order; empty otherwise. */
    public List<ImpairedPath> relays() { return List.copyOf(relays); }

    public static InetAddress addr(String literal) {
        return PortalPair.addr(literal);
    }

    /** Starts both portals (the accepting one first) and waits until each prints that it is up. */
    public MultipathPair start() {
        rightProcess = up(right);
        leftProcess = up(left);
        return this;
    }

    private Spawned up(Host h) {
        if (portalEnvironment.isEmpty()) return PortalPair.up(h, config(h), controlDir(h));
        List<String> command = new ArrayList<>(List.of("env"));
        portalEnvironment.forEach((k, v) -> command.add(k + "=" + v));
        command.addAll(BraidProcess.command("up", config(h).toString(), "--control-dir", controlDir(h).toString()));
        Spawned s = h.spawn(command);
        try {
            s.awaitOutput(" up, UDP port", Duration.ofSeconds(20));
        } catch (RuntimeException e) {
            s.stop();
            throw new IllegalStateException("braid up did not start in " + h.namespace() + ": " + s.stderr().strip(), e);
        }
        return s;
    }

    /** Stops both portals (SIGTERM, then waits), so the pair can be started again, e.g. with another environment. */
    public void stop() {
        for (Spawned s : new Spawned[] {leftProcess, rightProcess}) {
            if (s != null) s.stop(Duration.ofSeconds(5));
        }
        leftProcess = null;
        rightProcess = null;
    }

    /** {@code braid show --raw} of the portal in {@code h}. */
    public String show(Host h) {
        return PortalPair.show(h, controlDir(h));
    }

    /** The left portal's path on {@code link}: the one whose endpoint is the right's address there. */
    PathReading leftPath(Link link) {
        return leftPath(link, show(left));
    }

    public PathReading leftPath(Link link, String showText) {
        InetSocketAddress to = endpoints.get(links.indexOf(link));
        String endpoint = to.getAddress().getHostAddress() + ":" + to.getPort();
        return PathReading.all(showText).stream().filter(p -> p.endpoint().equals(endpoint)).findFirst()
                .orElseThrow(() -> new AssertionError("left portal has no path to " + endpoint + ":\n" + showText));
    }

    /**
     * Polls the left portal every 50 ms until its path on {@code link} satisfies {@code condition};
     * returns that reading, or throws with both portals' state after {@code timeout}.
     */
    PathReading awaitLeftPath(Link link, Predicate<PathReading> condition, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            PathReading p = leftPath(link);
            if (condition.test(p)) return p;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("left path on link " + link.index() + " not " + what + " within "
                        + timeout.toMillis() + " ms; last " + p + state());
            }
            sleep(Duration.ofMillis(50));
        }
    }

    /** Pings until one reply, then waits until both left paths are UP: the start line of every test. */
    public void awaitReady() {
        var r = left.exec(Duration.ofSeconds(25), "ping", "-4", "-n", "-c", "1", "-w", "15", RIGHT_V4);
        if (PingResult.parse(r.stdout()).received() < 1) {
            throw new AssertionError("warm-up ping not answered:\n" + r.stdout() + state());
        }
        for (Link l : links) awaitLeftPath(l, PathReading::up, "UP", Duration.ofSeconds(5));
    }

    /** {@code tc -s qdisc} of the left ends of both links: the tbf's sent, dropped and overlimits counters. */
    String leftQdiscs() {
        StringBuilder b = new StringBuilder();
        for (Link l : links) {
            b.append("link ").append(l.index()).append(": ")
                    .append(left.exec(Duration.ofSeconds(5), "tc", "-s", "qdisc", "show", "dev", l.device(left)).stdout().strip())
                    .append('\n');
        }
        return b.toString();
    }

    /** Both portals' status and output, for failure messages. */
    String state() {
        StringBuilder b = new StringBuilder();
        for (Host h : new Host[] {left, right}) {
            b.append("\n--- ").append(h.name()).append(" portal\n");
            try {
                b.append(show(h));
            } catch (RuntimeException e) {
                b.append("(no status: ").append(e.getMessage()).append(")\n");
            }
            Spawned s = h == left ? leftProcess : rightProcess;
            if (s != null) b.append(s.stdout()).append(s.stderr());
        }
        for (int i = 0; i < relays.size(); i++) {
            b.append("\n--- relay ").append(i).append(": ");
            try {
                b.append(relays.get(i).counters().format());
                String err = relays.get(i).process().stderr().strip();
                if (!err.isEmpty()) b.append('\n').append(err);
            } catch (RuntimeException e) {
                b.append("(no counters: ").append(e.getMessage()).append(')');
            }
        }
        b.append('\n');
        return b.toString();
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            for (ImpairedPath r : relays) r.close();
            bed.close();
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // temp files only
            }
        }
    }

    /** One path as {@code braid show --raw} lists it. */
    public record PathReading(String id, String endpoint, String state, int metric, long srttMicros, long minRttMicros,
                       long cwndBytes, long inFlightBytes, long pacingBps, long deliveryBps, long lostPackets,
                       long latePackets, long rxBytes, long txBytes) {

        boolean up() { return state.equals("UP"); }

        public static List<PathReading> all(String showText) {
            List<Map<String, String>> blocks = ControlStatus.parse(showText);
            if (blocks.size() != 2) throw new IllegalStateException("expected one peer in:\n" + showText);
            Map<String, String> peer = blocks.get(1);
            List<PathReading> out = new ArrayList<>();
            for (String key : peer.keySet()) {
                if (!key.startsWith("path.") || !key.endsWith(".state")) continue;
                String id = key.substring(5, key.length() - 6);
                String k = "path." + id + ".";
                out.add(new PathReading(id, peer.get(k + "endpoint"), peer.get(k + "state"),
                        Integer.parseInt(peer.get(k + "metric")), Long.parseLong(peer.get(k + "srtt_us")),
                        Long.parseLong(peer.get(k + "min_rtt_us")),
                        Long.parseLong(peer.get(k + "cwnd_bytes")), Long.parseLong(peer.get(k + "inflight_bytes")),
                        Long.parseLong(peer.get(k + "pacing_bps")), Long.parseLong(peer.get(k + "delivery_bps")),
                        Long.parseLong(peer.get(k + "lost_packets")), Long.parseLong(peer.get(k + "late_packets")),
                        Long.parseLong(peer.get(k + "rx_bytes")),
                        Long.parseLong(peer.get(k + "tx_bytes"))));
            }
            return out;
        }
    }
}
