package net.braid.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two namespaces joined only by two TUNs and a pump in this test that reads packets from one
 * TUN and writes them into the other: a TCP connection from one namespace to the other crosses
 * the kernel's TUN offloads, the segmenter and the coalescer both ways. Needs root; skipped with
 * the reason printed otherwise.
 */
class TunOffloadNetnsTest {
    private static final String NS1 = "braid-ofl1-" + ProcessHandle.current().pid();
    private static final String NS2 = "braid-ofl2-" + ProcessHandle.current().pid();
    private static final int MTU = 1420;
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static int created;
    private static String skipReason;

    @BeforeAll
    static void createNamespaces() {
        skipReason = missingPrerequisite();
        if (skipReason == null) {
            try {
                NetNamespace.create(NS1);
                created = 1;
                NetNamespace.create(NS2);
                created = 2;
                IpCommand.run(NS1, "link", "set", "lo", "up");
                IpCommand.run(NS2, "link", "set", "lo", "up");
                NetNamespace.run(NS1, () -> Tun.open("braidprobe", MTU)).close();
            } catch (Exception e) {
                skipReason = "cannot create network namespaces with a TUN: " + e.getMessage();
            }
        }
        if (skipReason != null) System.out.println("TunOffloadNetnsTest skipped: " + skipReason);
    }

    @BeforeEach
    void requirePrerequisites() {
        Assumptions.assumeTrue(skipReason == null, () -> "TunOffloadNetnsTest skipped: " + skipReason);
    }

    @AfterAll
    static void deleteNamespaces() throws IOException {
        if (created >= 2) NetNamespace.delete(NS2);
        if (created >= 1) NetNamespace.delete(NS1);
    }

    private static String missingPrerequisite() {
        if (!Files.exists(Path.of("/dev/net/tun"))) return "/dev/net/tun is missing (no TUN support)";
        try {
            String uid = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: ? ?");
            if (!uid.split("\\s+")[2].equals("0")) return "needs root (effective uid is not 0)";
            IpCommand.run(null, "netns", "list");
        } catch (IOException e) {
            return "cannot check for root or iproute2: " + e.getMessage();
        }
        return null;
    }

    /** TUN a in NS1, TUN b in NS2, one /24 and one /64 across them, and a pump thread each way. */
    private static final class Bridge implements AutoCloseable {
        final Tun a;
        final Tun b;
        private final Thread ab;
        private final Thread ba;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Bridge(Offload offload) throws Exception {
            int n = NAMES.incrementAndGet();
            a = NetNamespace.run(NS1, () -> Tun.open("braidofa" + n, MTU, offload));
            b = NetNamespace.run(NS2, () -> Tun.open("braidofb" + n, MTU, offload));
            LinkConfig.inNamespace(NS1).addAddress(a.name(), InetAddress.getByName("198.18.10.1"), 24);
            LinkConfig.inNamespace(NS2).addAddress(b.name(), InetAddress.getByName("198.18.10.2"), 24);
            LinkConfig.inNamespace(NS1).addAddress(a.name(), InetAddress.getByName("2001:db8:10::1"), 64);
            LinkConfig.inNamespace(NS2).addAddress(b.name(), InetAddress.getByName("2001:db8:10::2"), 64);
            ab = Thread.ofPlatform().name("pump-ab").start(() -> pump(a, b));
            ba = Thread.ofPlatform().name("pump-ba").start(() -> pump(b, a));
        }

        private void pump(Tun from, Tun to) {
            ByteBuffer[] bufs = new ByteBuffer[64];
            for (int i = 0; i < bufs.length; i++) bufs[i] = ByteBuffer.allocateDirect(MTU);
            try {
                int n;
                while ((n = from.read(bufs)) > 0) to.write(bufs, n);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }

        @Override
        public void close() throws InterruptedException {
            a.close();
            b.close();
            ab.join(5000);
            ba.join(5000);
        }
    }

    private record Transfer(long bytes, long nanos, String sentSha, String receivedSha) {
        double mbitPerSecond() {
            return bytes * 8e3 / nanos;
        }
    }

    /** Sends pseudo-random bytes from NS1 to a server in NS2 until maxBytes or maxMillis, hashing both ends. */
    private static Transfer transfer(String serverAddress, long maxBytes, long maxMillis) throws Exception {
        InetAddress server = InetAddress.getByName(serverAddress);
        try (ServerSocket listener = NetNamespace.run(NS2, () -> new ServerSocket(0, 1, server));
                Socket client = new Socket()) {
            listener.setSoTimeout(10_000);
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
                try (Socket s = listener.accept(); InputStream in = s.getInputStream()) {
                    s.setSoTimeout(20_000);
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    byte[] buf = new byte[1 << 16];
                    int r;
                    while ((r = in.read(buf)) > 0) sha.update(buf, 0, r);
                    return HexFormat.of().formatHex(sha.digest());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, runnable -> Thread.ofPlatform().start(runnable));
            // java.net.Socket creates its descriptor lazily: connect inside NS1 so it is made there,
            // never in the root namespace.
            NetNamespace.run(NS1, () -> {
                client.connect(new InetSocketAddress(server, listener.getLocalPort()), 5000);
                return null;
            });
            client.setSoTimeout(20_000);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[1 << 16];
            new Random(42).nextBytes(chunk);
            long sent = 0;
            long start = System.nanoTime();
            long deadline = start + TimeUnit.MILLISECONDS.toNanos(maxMillis);
            try (OutputStream out = client.getOutputStream()) {
                while (sent < maxBytes && System.nanoTime() < deadline) {
                    int len = (int) Math.min(chunk.length, maxBytes - sent);
                    chunk[(int) (sent / chunk.length % chunk.length)]++; // not the same 64 KiB over and over
                    out.write(chunk, 0, len);
                    sha.update(chunk, 0, len);
                    sent += len;
                }
                client.shutdownOutput();
                String got = received.get(30, TimeUnit.SECONDS);
                return new Transfer(sent, System.nanoTime() - start, HexFormat.of().formatHex(sha.digest()), got);
            }
        }
    }

    @Test
    void tcpOverIpv4CrossesOffloadedTunsIntact() throws Exception {
        try (Bridge bridge = new Bridge(Offload.TCP)) {
            Assumptions.assumeTrue(bridge.a.offload() == Offload.TCP, "the kernel refused TUN offloads");
            Transfer t = transfer("198.18.10.2", 50L << 20, 60_000);
            assertThat(t.bytes()).isEqualTo(50L << 20);
            assertThat(t.receivedSha()).isEqualTo(t.sentSha());
            assertThat(bridge.failure.get()).isNull();
            assertThat(bridge.a.superPacketsRead()).as("GSO super-packets read from the sender's TUN").isPositive();
            assertThat(bridge.b.superPacketsWritten()).as("coalesced packets written to the receiver's TUN").isPositive();
            assertThat(bridge.a.malformedReads() + bridge.b.malformedReads()).isZero();
            System.out.printf("offload v4: %d super-packets read → %d packets; %d coalesced writes for %d packets%n",
                    bridge.a.superPacketsRead(), bridge.a.packetsRead(), bridge.b.superPacketsWritten(),
                    bridge.b.packetsWritten());
        }
    }

    @Test
    void tcpOverIpv6CrossesOffloadedTunsIntact() throws Exception {
        try (Bridge bridge = new Bridge(Offload.TCP)) {
            Assumptions.assumeTrue(bridge.a.offload() == Offload.TCP, "the kernel refused TUN offloads");
            Transfer t = transfer("2001:db8:10::2", 20L << 20, 60_000);
            assertThat(t.receivedSha()).isEqualTo(t.sentSha());
            assertThat(bridge.failure.get()).isNull();
            assertThat(bridge.a.superPacketsRead()).isPositive();
            assertThat(bridge.b.superPacketsWritten()).isPositive();
        }
    }

    @Test
    void plainModeStaysPlain() throws Exception {
        try (Bridge bridge = new Bridge(Offload.NONE)) {
            assertThat(bridge.a.offload()).isEqualTo(Offload.NONE);
            Transfer t = transfer("198.18.10.2", 5L << 20, 30_000);
            assertThat(t.receivedSha()).isEqualTo(t.sentSha());
            assertThat(bridge.a.superPacketsRead() + bridge.b.superPacketsWritten()).isZero();
        }
    }

    /** Not an assertion on speed: prints both so a reader sees what offloads bring on this machine. */
    @Test
    void throughputOfPlainAndOffloadedPumps() throws Exception {
        boolean iperf = Files.isExecutable(Path.of("/usr/bin/iperf3"));
        double[] mbit = new double[2];
        for (Offload mode : Offload.values()) {
            try (Bridge bridge = new Bridge(mode)) {
                transfer("198.18.10.2", 20L << 20, 2_000); // warm-up, and the data still checks out
                mbit[mode.ordinal()] = iperf ? iperf3Mbit() : transfer("198.18.10.2", Long.MAX_VALUE, 3_000).mbitPerSecond();
                assertThat(bridge.failure.get()).isNull();
            }
        }
        System.out.printf("TUN pump, one TCP flow over 3 s (%s): plain %.0f Mbit/s, offload %.0f Mbit/s (%.1fx)%n",
                iperf ? "iperf3" : "Java sockets, SHA-256 at both ends", mbit[0], mbit[1], mbit[1] / mbit[0]);
    }

    /** iperf3 -c in NS1 against iperf3 -s -1 in NS2 for 3 s; the receiver's rate. */
    private static double iperf3Mbit() throws Exception {
        Process server = new ProcessBuilder("ip", "netns", "exec", NS2, "iperf3", "-s", "-1", "-B", "198.18.10.2",
                "-p", "5299").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(300);
            Process client = new ProcessBuilder("ip", "netns", "exec", NS1, "iperf3", "-c", "198.18.10.2", "-p", "5299",
                    "-t", "3", "-J").redirectErrorStream(true).start();
            String json = new String(client.getInputStream().readAllBytes());
            if (!client.waitFor(20, TimeUnit.SECONDS)) client.destroyForcibly();
            var m = java.util.regex.Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)")
                    .matcher(json);
            assertThat(m.find()).as("iperf3 output: %s", json).isTrue();
            return Double.parseDouble(m.group(1)) / 1e6;
        } finally {
            server.destroy();
            if (!server.waitFor(5, TimeUnit.SECONDS)) server.destroyForcibly();
        }
    }
}
