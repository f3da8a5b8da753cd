package net.braid.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real TUNs in a network namespace this test makes and removes. Needs root and /dev/net/tun;
 * skipped with the reason printed otherwise.
 */
class TunNetnsTest {
    private static final String NS = "braid-tuntest-" + ProcessHandle.current().pid();
    private static final int MTU = 1400;
    private static Inet4Address tun4;
    private static Inet4Address peer4;
    private static Inet6Address tun6;
    private static Inet6Address peer6;
    private static ScheduledExecutorService watchdog;
    private static boolean created;

    /** Why these tests cannot run here, or null; each test is then reported as skipped. */
    private static String skipReason;

    @BeforeAll
    static void createNamespace() throws Exception {
        skipReason = missingPrerequisite();
        if (skipReason == null) {
            try {
                NetNamespace.create(NS);
                created = true;
                // Root in a container may still lack CAP_NET_ADMIN or the tun driver.
                NetNamespace.run(NS, () -> Tun.open("braidprobe", MTU)).close();
            } catch (IOException e) {
                skipReason = "cannot create a network namespace with a TUN: " + e.getMessage();
            }
        }
        if (skipReason != null) {
            System.out.println("TunNetnsTest skipped: " + skipReason);
            return;
        }
        tun4 = (Inet4Address) InetAddress.getByName("198.18.0.1");
        peer4 = (Inet4Address) InetAddress.getByName("198.18.0.2");
        tun6 = (Inet6Address) InetAddress.getByName("2001:db8:1::1");
        peer6 = (Inet6Address) InetAddress.getByName("2001:db8:1::2");
        watchdog = Executors.newSingleThreadScheduledExecutor();
    }

    @BeforeEach
    void requirePrerequisites() {
        Assumptions.assumeTrue(skipReason == null, () -> "TunNetnsTest skipped: " + skipReason);
    }

    @AfterAll
    static void deleteNamespace() throws IOException {
        if (watchdog != null) watchdog.shutdownNow();
        if (created) NetNamespace.delete(NS);
    }

    private static String missingPrerequisite() {
        if (!Files.exists(Path.of("/dev/net/tun"))) return "/dev/net/tun is missing (no TUN support)";
        try {
            String uid = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: ? ?");
            if (!uid.split("\\s+")[2].equals("0")) return "needs root (effective uid is not 0)";
        } catch (IOException e) {
            return "cannot read /proc/self/status: " + e.getMessage();
        }
        try {
            IpCommand.run(null, "netns", "list");
        } catch (IOException e) {
            return "iproute2 'ip netns' unusable: " + e.getMessage();
        }
        return null;
    }

    /** A TUN in the test namespace with both test addresses. */
    private static Tun openConfigured(String name) throws Exception {
        Tun tun = NetNamespace.run(NS, () -> Tun.open(name, MTU));
        try {
            LinkConfig link = LinkConfig.inNamespace(NS);
            link.addAddress(tun.name(), tun4, 24);
            link.addAddress(tun.name(), tun6, 64);
            return tun;
        } catch (Exception e) {
            tun.close();
            throw e;
        }
    }

    private static ByteBuffer[] buffers(int n, boolean direct) {
        IntFunction<ByteBuffer> make = direct ? ByteBuffer::allocateDirect : ByteBuffer::allocate;
        ByteBuffer[] b = new ByteBuffer[n];
        for (int i = 0; i < n; i++) b[i] = make.apply(MTU);
        return b;
    }

    /**
     * Reads until a UDP packet to dst:port appears (the kernel also sends its own IPv6 router
     * solicitations and MLD reports into a fresh link); the watchdog closes the TUN if none does.
     */
    private static byte[] readUdpPayload(Tun tun, ByteBuffer[] bufs, InetAddress dst, int port) throws IOException {
        var guard = watchdog.schedule(tun::close, 10, TimeUnit.SECONDS);
        try {
            while (true) {
                int n = tun.read(bufs);
                if (n < 0) fail("no UDP packet to " + dst.getHostAddress() + ":" + port + " within 10 s");
                assertThat(n).isBetween(1, bufs.length);
                for (int i = 0; i < n; i++) {
                    assertThat(bufs[i].position()).isZero();
                    byte[] payload = TestPackets.udpPayloadTo(bufs[i], dst, port);
                    if (payload != null) return payload;
                }
            }
        } finally {
            guard.cancel(false);
        }
    }

    private static void sendFromNamespace(InetAddress dst, int port, byte[] payload) throws Exception {
        NetNamespace.run(NS, () -> {
            try (DatagramChannel ch = DatagramChannel.open()) {
                ch.send(ByteBuffer.wrap(payload), new InetSocketAddress(dst, port));
            }
            return null;
        });
    }

    @ParameterizedTest(name = "direct buffers: {0}")
    @ValueSource(booleans = {true, false})
    void readsWhatTheNamespaceSendsThroughTheTun(boolean direct) throws Exception {
        try (Tun tun = openConfigured(direct ? "braidt0" : "braidt1")) {
            ByteBuffer[] bufs = buffers(4, direct);
            byte[] v4 = "hello over IPv4".getBytes(StandardCharsets.US_ASCII);
            sendFromNamespace(peer4, 9999, v4);
            assertThat(readUdpPayload(tun, bufs, peer4, 9999)).isEqualTo(v4);

            byte[] v6 = "hello over IPv6".getBytes(StandardCharsets.US_ASCII);
            sendFromNamespace(peer6, 9998, v6);
            assertThat(readUdpPayload(tun, bufs, peer6, 9998)).isEqualTo(v6);

            assertThat(tun.packetsRead()).isGreaterThanOrEqualTo(2);
            assertThat(tun.bytesRead()).isGreaterThanOrEqualTo(28 + v4.length + 48 + v6.length);
        }
    }

    @Test
    void routesAddedByLinkConfigLeadIntoTheTun() throws Exception {
        try (Tun tun = openConfigured("braidt2")) {
            InetAddress far = InetAddress.getByName("198.19.7.7");
            LinkConfig.inNamespace(NS).addRoute(InetAddress.getByName("198.19.7.0"), 24, tun.name());
            byte[] payload = {42, 43};
            sendFromNamespace(far, 5353, payload);
            assertThat(readUdpPayload(tun, buffers(2, true), far, 5353)).isEqualTo(payload);
        }
    }

    @Test
    void writtenPacketsReachASocketInTheNamespaceAndBadOnesAreCounted() throws Exception {
        try (Tun tun = openConfigured("braidt3");
                DatagramSocket s4 = NetNamespace.run(NS, () -> new DatagramSocket(new InetSocketAddress(tun4, 0)));
                DatagramSocket s6 = NetNamespace.run(NS, () -> new DatagramSocket(new InetSocketAddress(tun6, 0)))) {
            s4.setSoTimeout(5000);
            s6.setSoTimeout(5000);
            byte[] p4 = "reply v4".getBytes(StandardCharsets.US_ASCII);
            byte[] p6 = "reply v6".getBytes(StandardCharsets.US_ASCII);
            ByteBuffer garbage = ByteBuffer.wrap(new byte[] {0, 1, 2, 3, 4, 5, 6, 7}); // IP version 0
            ByteBuffer heap4 = ByteBuffer.wrap(TestPackets.udp4(peer4, 7777, tun4, s4.getLocalPort(), p4));
            byte[] v6 = TestPackets.udp6(peer6, 7778, tun6, s6.getLocalPort(), p6);
            ByteBuffer direct6 = ByteBuffer.allocateDirect(v6.length).put(v6).flip();

            tun.write(new ByteBuffer[] {garbage, heap4, direct6}, 3);

            assertThat(tun.droppedWrites()).isEqualTo(1);
            assertThat(tun.packetsWritten()).isEqualTo(2);
            assertThat(tun.bytesWritten()).isEqualTo(heap4.remaining() + direct6.remaining());
            assertThat(heap4.position()).isZero();
            assertThat(direct6.position()).isZero();
            assertReceived(s4, p4, peer4, 7777);
            assertReceived(s6, p6, peer6, 7778);
        }
    }

    private static void assertReceived(DatagramSocket socket, byte[] payload, InetAddress from, int fromPort)
            throws IOException {
        DatagramPacket got = new DatagramPacket(new byte[2048], 2048);
        socket.receive(got);
        assertThat(java.util.Arrays.copyOf(got.getData(), got.getLength())).isEqualTo(payload);
        assertThat(got.getAddress()).isEqualTo(from);
        assertThat(got.getPort()).isEqualTo(fromPort);
    }

    @Test
    void closeWakesABlockedReaderAndRemovesTheInterface() throws Exception {
        Tun tun = NetNamespace.run(NS, () -> Tun.open("braidt4", MTU));
        AtomicInteger last = new AtomicInteger(0);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            ByteBuffer[] bufs = buffers(8, true);
            try {
                int n;
                while ((n = tun.read(bufs)) > 0) { } // the kernel's own IPv6 chatter may come first
                last.set(n);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        Thread.sleep(300); // let it block in poll
        long start = System.nanoTime();
        tun.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        reader.join(2000);

        assertThat(reader.isAlive()).as("reader still blocked after close").isFalse();
        assertThat(failure.get()).isNull();
        assertThat(last.get()).isEqualTo(-1);
        assertThat(closeMillis).as("close() must not block").isLessThan(1000);
        assertThat(tun.read(buffers(1, false))).isEqualTo(-1);
        tun.close(); // idempotent
        tun.write(new ByteBuffer[] {ByteBuffer.allocate(20)}, 1);
        assertThat(tun.droppedWrites()).isEqualTo(1);
        assertThatThrownBy(() -> IpCommand.run(NS, "link", "show", "dev", "braidt4"))
                .hasMessageContaining("does not exist");
    }

    @Test
    void theTunLivesInTheNamespaceOfTheOpeningThreadWithItsMtuAndUp() throws Exception {
        try (Tun tun = NetNamespace.run(NS, () -> Tun.open("braidt%d", MTU))) {
            assertThat(tun.name()).matches("braidt\\d+");
            String link = IpCommand.run(NS, "link", "show", "dev", tun.name());
            assertThat(link).contains("mtu " + MTU).containsPattern("[<,]UP[,>]");
            assertThatThrownBy(() -> IpCommand.run(null, "link", "show", "dev", tun.name()))
                    .as("must not appear in the root namespace").isInstanceOf(IOException.class);
        }
    }

    @Test
    void aNameInUseIsEbusy() throws Exception {
        try (Tun first = NetNamespace.run(NS, () -> Tun.open("braidt5", MTU))) {
            assertThatThrownBy(() -> NetNamespace.run(NS, () -> Tun.open(first.name(), MTU)))
                    .isInstanceOfSatisfying(ErrnoException.class, e -> {
                        assertThat(e.errno()).isEqualTo(ErrnoException.EBUSY);
                        assertThat(e.operation()).isEqualTo("ioctl TUNSETIFF braidt5");
                        assertThat(e).hasMessageContaining("EBUSY").hasMessageContaining("already in use");
                    });
        }
    }

    @Test
    void theNameOfANonTunInterfaceIsRefused() {
        assertThatThrownBy(() -> NetNamespace.run(NS, () -> Tun.open("lo", MTU)))
                .isInstanceOfSatisfying(ErrnoException.class, e ->
                        assertThat(e).hasMessageContaining("EINVAL").hasMessageContaining("is not a TUN"));
    }

    @Test
    void linkConfigReportsWhatIpSaid() {
        assertThatThrownBy(() -> LinkConfig.inNamespace(NS).addAddress("braid-nodev", tun4, 24))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("-n " + NS)
                .hasMessageContaining("Cannot find device");
    }
}
