package net.braid.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.braid.cli.PortalPair;
import net.braid.crypto.KeyPair;
import net.braid.testbed.Host;
import net.braid.testbed.Link;
import net.braid.testbed.Spawned;
import net.braid.testbed.TestbedException;
import net.braid.testbed.Tools;

/**
 * The baseline tunnel: a userspace {@code wireguard-go} in each of the two namespaces of a
 * {@link PortalPair}, configured with {@code wg set} to the same inner addresses, MTU and UDP port
 * as braid's portals. Its processes are spawned through the test bed, which stops them if this
 * object is never closed; {@link #close()} also removes the key files and the UAPI sockets.
 */
final class WireguardGoPair implements AutoCloseable {
    static final int MTU = 1420;
    // wireguard-go puts its control socket in one folder shared by all namespaces, so the
    // interface names carry the test bed's run id to stay unique across concurrent runs.
    private static final Path UAPI_DIR = Path.of("/var/run/wireguard");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

    private final Host left;
    private final Host right;
    private final String leftDevice;
    private final String rightDevice;
    private final Path keyDir;
    private final List<Spawned> daemons = new ArrayList<>();
    private boolean closed;

    private WireguardGoPair(Host left, Host right, String run, Path keyDir) {
        this.left = left;
        this.right = right;
        this.leftDevice = "bwl" + run;
        this.rightDevice = "bwr" + run;
        this.keyDir = keyDir;
    }

    /** Starts wireguard-go in both namespaces of {@code pair} and brings the tunnel up (the handshake follows the first packet). */
    static WireguardGoPair start(PortalPair pair) {
        Tools.require("wireguard-go", "wg", "ip");
        Path keyDir;
        try {
            keyDir = Files.createTempDirectory("braid-bench-wg-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var wg = new WireguardGoPair(pair.left(), pair.right(), pair.testbed().run(), keyDir);
        try {
            wg.bringUp(pair.link());
            return wg;
        } catch (RuntimeException e) {
            wg.close();
            throw e;
        }
    }

    private void bringUp(Link link) {
        KeyPair l = KeyPair.generate();
        KeyPair r = KeyPair.generate();
        daemons.add(daemon(right, rightDevice));
        daemons.add(daemon(left, leftDevice));
        String rightUnderlay = link.v4(right).getHostAddress();
        configure(right, rightDevice, r, PortalPair.PORT, l, null, PortalPair.LEFT_V4, PortalPair.LEFT_V6,
                PortalPair.RIGHT_V4, PortalPair.RIGHT_V6);
        configure(left, leftDevice, l, PortalPair.PORT + 1, r, rightUnderlay + ":" + PortalPair.PORT,
                PortalPair.RIGHT_V4, PortalPair.RIGHT_V6, PortalPair.LEFT_V4, PortalPair.LEFT_V6);
    }

    private Spawned daemon(Host host, String device) {
        Spawned process = host.spawn(tool("wireguard-go"), "-f", device);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!(host.exec(tool("ip"), "link", "show", "dev", device).succeeded() && Files.exists(socket(device)))) {
            if (!process.isAlive()) {
                throw new TestbedException("wireguard-go in " + host + " exited: " + process.stdout() + process.stderr());
            }
            if (System.nanoTime() > deadline) {
                throw new TestbedException("wireguard-go in " + host + " made no " + device + " within "
                        + READY_TIMEOUT.toSeconds() + " s: " + process.stdout() + process.stderr());
            }
            pause(Duration.ofMillis(20));
        }
        return process;
    }

    private void configure(Host host, String device, KeyPair own, int port, KeyPair peer, String peerEndpoint,
                           String peerV4, String peerV6, String ownV4, String ownV6) {
        Path keyFile = keyDir.resolve(device + ".key");
        try {
            Files.writeString(keyFile, own.privateKeyBase64() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> set = new ArrayList<>(List.of(tool("wg"), "set", device, "listen-port", Integer.toString(port),
                "private-key", keyFile.toString(), "peer", peer.publicKeyBase64(),
                "allowed-ips", peerV4 + "/32," + peerV6 + "/128"));
        if (peerEndpoint != null) {
            set.addAll(List.of("endpoint", peerEndpoint));
        }
        host.exec(Duration.ofSeconds(10), set).requireSuccess();
        host.run(tool("ip"), "addr", "add", ownV4 + "/24", "dev", device);
        host.run(tool("ip"), "-6", "addr", "add", ownV6 + "/64", "dev", device, "nodad");
        host.run(tool("ip"), "link", "set", "dev", device, "mtu", Integer.toString(MTU), "up");
    }

    List<ProcessHandle> processes() {
        return daemons.stream().map(Spawned::handle).toList();
    }

    /** Stops both daemons (SIGTERM, so each removes its TUN) and waits until the interfaces are gone. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> failures = new ArrayList<>();
        for (Spawned daemon : daemons) {
            try {
                daemon.stop();
            } catch (RuntimeException e) {
                failures.add(e.getMessage());
            }
        }
        awaitGone(left, leftDevice, failures);
        awaitGone(right, rightDevice, failures);
        for (String device : List.of(leftDevice, rightDevice)) {
            try {
                Files.deleteIfExists(socket(device));
            } catch (IOException e) {
                failures.add("cannot delete " + socket(device) + ": " + e.getMessage());
            }
        }
        try (Stream<Path> files = Files.walk(keyDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            failures.add("cannot delete " + keyDir + ": " + e.getMessage());
        }
        if (!failures.isEmpty()) {
            throw new TestbedException("wireguard-go cleanup incomplete:\n  " + String.join("\n  ", failures));
        }
    }

    private static void awaitGone(Host host, String device, List<String> failures) {
        if (host.testbed().isClosed()) {
            return; // the namespace, and with it the TUN, is already gone
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            while (host.exec(tool("ip"), "link", "show", "dev", device).succeeded()) {
                if (System.nanoTime() > deadline) {
                    failures.add(device + " still present in " + host + " after wireguard-go stopped");
                    return;
                }
                pause(Duration.ofMillis(20));
            }
        } catch (IllegalStateException e) {
            // The test bed closed meanwhile (Ctrl-C): deleting the namespace removed the TUN.
        }
    }

    private static Path socket(String device) {
        return UAPI_DIR.resolve(device + ".sock");
    }

    private static String tool(String name) {
        return Tools.find(name).orElseThrow().toString();
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestbedException("interrupted", e);
        }
    }
}
