package net.braid.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import net.braid.cli.control.ControlClient;
import net.braid.cli.control.ControlServer;
import net.braid.config.ConfigWriter;
import net.braid.config.Endpoint;
import net.braid.config.InterfaceSection;
import net.braid.config.IpPrefix;
import net.braid.config.PeerSection;
import net.braid.config.TunnelConfig;
import net.braid.config.X25519Key;
import net.braid.crypto.KeyPair;
import net.braid.testbed.Host;
import net.braid.testbed.Link;
import net.braid.testbed.Spawned;
import net.braid.testbed.Testbed;

/**
 * Two portals in two network namespaces joined by one veth link, each a real {@code braid up}
 * process with a real TUN: the demo's topology, and the integration tests' and benchmarks'.
 * The left portal knows the right one's endpoint; the right one only accepts.
 */
public final class PortalPair implements AutoCloseable {
    public static final int PORT = 51820;
    public static final String LEFT_V4 = "198.19.200.1";
    public static final String RIGHT_V4 = "198.19.200.2";
    public static final String LEFT_V6 = "2001:db8:ffff::1";
    public static final String RIGHT_V6 = "2001:db8:ffff::2";

    private final Testbed bed;
    private final Host left;
    private final Host right;
    private final Link link;
    private final Path dir;
    private Spawned leftProcess;
    private Spawned rightProcess;

    private PortalPair(Testbed bed, Host left, Host right, Link link, Path dir) {
        this.bed = bed;
        this.left = left;
        this.right = right;
        this.link = link;
        this.dir = dir;
    }

    /** Builds the namespaces and the link and writes both configurations; nothing runs yet. */
    public static PortalPair create(String label) {
        Testbed bed = Testbed.create(label);
        try {
            Host left = bed.host("left");
            Host right = bed.host("right");
            Link link = bed.link(left, right);
            Path dir = Files.createTempDirectory("braid-" + label + "-");
            PortalPair pair = new PortalPair(bed, left, right, link, dir);
            pair.writeConfigs();
            return pair;
        } catch (IOException | RuntimeException e) {
            bed.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private void writeConfigs() throws IOException {
        KeyPair l = KeyPair.generate();
        KeyPair r = KeyPair.generate();
        String rightUnderlay = link.v4(right).getHostAddress();
        TunnelConfig leftCfg = new TunnelConfig(
                new InterfaceSection(new X25519Key(l.privateKey()),
                        List.of(IpPrefix.parse(LEFT_V4 + "/24"), IpPrefix.parse(LEFT_V6 + "/64")),
                        1420, OptionalInt.empty(), "braid0", OptionalInt.empty()),
                List.of(new PeerSection(new X25519Key(r.publicKey()), Optional.of(new Endpoint(rightUnderlay, PORT)),
                        List.of(IpPrefix.parse(RIGHT_V4 + "/32"), IpPrefix.parse(RIGHT_V6 + "/128")))));
        TunnelConfig rightCfg = new TunnelConfig(
                new InterfaceSection(new X25519Key(r.privateKey()),
                        List.of(IpPrefix.parse(RIGHT_V4 + "/24"), IpPrefix.parse(RIGHT_V6 + "/64")),
                        1420, OptionalInt.of(PORT), "braid0", OptionalInt.empty()),
                List.of(new PeerSection(new X25519Key(l.publicKey()), Optional.empty(),
                        List.of(IpPrefix.parse(LEFT_V4 + "/32"), IpPrefix.parse(LEFT_V6 + "/128")))));
        Files.writeString(config(left), ConfigWriter.render(leftCfg));
        Files.writeString(config(right), ConfigWriter.render(rightCfg));
    }

    public Path config(Host h) { return dir.resolve(h == left ? "left.conf" : "right.conf"); }
    public Path controlDir(Host h) { return dir.resolve(h == left ? "ctl-left" : "ctl-right"); }

    public Testbed testbed() { return bed; }
    public Host left() { return left; }
    public Host right() { return right; }
    public Link link() { return link; }

    public static InetAddress addr(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts both portals and waits until each prints that it is up. */
    public PortalPair start() {
        startRight();
        startLeft();
        return this;
    }

    public void startLeft() { leftProcess = up(left); }
    public void startRight() { rightProcess = up(right); }

    private Spawned up(Host h) {
        return up(h, config(h), controlDir(h));
    }

    /** Starts {@code braid up CONFIG} in {@code h} and waits until it says it is up. */
    static Spawned up(Host h, Path config, Path controlDir) {
        Spawned s = h.spawn(BraidProcess.command("up", config.toString(), "--control-dir", controlDir.toString()));
        try {
            s.awaitOutput(" up, UDP port", Duration.ofSeconds(20));
        } catch (RuntimeException e) {
            throw new IllegalStateException("braid up did not start in " + h.namespace() + ": " + s.stderr().strip(), e);
        }
        return s;
    }

    /** Stops a portal with SIGTERM, as a user's Ctrl-C would, and waits for it to exit. */
    public int stop(Host h) {
        Spawned s = h == left ? leftProcess : rightProcess;
        s.stop(Duration.ofSeconds(5));
        return s.waitFor(Duration.ofSeconds(5));
    }

    public Spawned process(Host h) { return h == left ? leftProcess : rightProcess; }

    /** The running portal's status lines, as {@code braid show --raw} prints them. */
    public String show(Host h) {
        return show(h, controlDir(h));
    }

    /** The status lines of the braid0 portal in {@code h} whose control socket is in {@code controlDir}. */
    static String show(Host h, Path controlDir) {
        try {
            return ControlClient.fetch(ControlServer.socketPath(controlDir, "braid0"));
        } catch (IOException e) {
            throw new UncheckedIOException("braid show in " + h.namespace() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        bed.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp files only
        }
    }
}
