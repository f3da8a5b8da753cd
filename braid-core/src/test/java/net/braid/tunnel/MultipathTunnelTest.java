package net.braid.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import net.braid.config.Bind;
import net.braid.config.IpPrefix;
import net.braid.crypto.KeyPair;
import net.braid.device.MemoryPacketDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two portals in one JVM over two loopback paths, each through a relay that a test can cut:
 * A starts both paths from its own sockets; B only listens and learns them.
 */
class MultipathTunnelTest {
    private final KeyPair keyA = KeyPair.generate();
    private final KeyPair keyB = KeyPair.generate();
    private final MemoryPacketDevice devA = new MemoryPacketDevice("a0", 1420, 8192);
    private final MemoryPacketDevice devB = new MemoryPacketDevice("b0", 1420, 8192);
    private Tunnel a;
    private Tunnel b;
    private UdpRelay one;
    private UdpRelay two;
    private int nextNumber;
    private long lastDelivered = -1;
    private long delivered;
    /** Packets delivered after a higher number: late stragglers the reorder stage released, not dropped. */
    private long outOfOrder;
    private final java.util.BitSet seen = new java.util.BitSet();

    private void start(int metricTwo) throws Exception {
        b = new Tunnel(devB, keyB, 0, List.of(new PeerSpec(keyA.publicKey(), null, 0,
                List.of(IpPrefix.parse("198.18.0.1/32")), 0)));
        b.start();
        one = new UdpRelay(b.listenPort());
        two = new UdpRelay(b.listenPort());
        Bind loopback = new Bind.Address(InetAddress.getLoopbackAddress());
        a = new Tunnel(devA, keyA, 0, List.of(new PeerSpec(keyB.publicKey(), null, 0,
                List.of(IpPrefix.parse("198.18.0.0/24")), 0,
                List.of(new PathSpec(loopback, "127.0.0.1", one.port(), 0),
                        new PathSpec(loopback, "127.0.0.1", two.port(), metricTwo)))));
        a.start();
        await(() -> states().equals(List.of("UP", "UP")), "both paths up, not " + states());
        one.limit(1500);
        two.limit(1500);
        send(500, 1); // warm up: the congestion controllers start from ten packets
    }

    @AfterEach
    void stop() throws Exception {
        if (a != null) a.close();
        if (b != null) b.close();
        if (one != null) one.close();
        if (two != null) two.close();
    }

    private List<String> states() {
        List<String> s = new ArrayList<>();
        for (PathInfo p : a.peerStatus().getFirst().paths()) s.add(p.state());
        return s;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting: " + what);
            Thread.sleep(10);
        }
    }

    /**
     * Sends {@code count} numbered packets at about {@code perMilli} per millisecond, then
     * collects what B delivers, checking that numbers only ever go up (tunnel order).
     */
    private long send(int count, int perMilli) throws Exception {
        long before = delivered;
        byte[] payload = new byte[1200];
        for (int i = 0; i < count; i++) {
            ByteBuffer.wrap(payload).putInt(nextNumber++);
            while (!devA.inject(TestPackets.udp4("198.18.0.1", "198.18.0.2", payload))) Thread.sleep(1);
            if (i % perMilli == 0) Thread.sleep(1);
            drain(0);
        }
        drain(300);
        return delivered - before;
    }

    private void drain(long waitMillis) throws InterruptedException {
        byte[] p;
        while ((p = devB.awaitSent(waitMillis, TimeUnit.MILLISECONDS)) != null) {
            int n = ByteBuffer.wrap(TestPackets.payloadOf4(p)).getInt();
            assertThat(seen.get(n)).as("packet %d delivered twice", n).isFalse();
            seen.set(n);
            // In tunnel order, except a straggler that came after its gap's timeout.
            if (n < lastDelivered) outOfOrder++;
            else lastDelivered = n;
            delivered++;
        }
    }

    @Test
    void trafficUsesBothPathsMovesOffACutOneAndComesBack() throws Exception {
        start(0);
        long oneStart = one.dataFromA();
        long twoStart = two.dataFromA();
        long got = send(3000, 2); // 2000 per second: more than one path carries
        assertThat(got).isGreaterThan(2700);
        assertThat(one.dataFromA() - oneStart).as("path one carried data").isGreaterThan(300);
        assertThat(two.dataFromA() - twoStart).as("path two carried data").isGreaterThan(300);

        one.cut();
        await(() -> states().getFirst().equals("DOWN"), "path one down after the cut");
        long oneBefore = one.dataFromA();
        long twoBefore = two.dataFromA();
        got = send(1000, 1);
        // CoDel drops while path two's controller ramps up to carry it all (measured 78–85 %).
        assertThat(got).as("delivered over path two alone").isGreaterThan(700);
        assertThat(one.dataFromA()).isEqualTo(oneBefore);
        assertThat(two.dataFromA() - twoBefore).isGreaterThanOrEqualTo(got);

        one.restore();
        await(() -> states().equals(List.of("UP", "UP")), "path one up again");
        oneBefore = one.dataFromA();
        got = send(3000, 2);
        assertThat(got).isGreaterThan(2700);
        assertThat(one.dataFromA() - oneBefore).as("path one back in use").isGreaterThan(100);
        PeerStatus receiver = b.peerStatus().getFirst();
        assertThat(receiver.paths()).hasSize(2);
        // the late releases show per path and add up to the stage's count
        assertThat(receiver.reorder()).isNotNull();
        assertThat(receiver.paths().stream().mapToLong(PathInfo::latePackets).sum()).isEqualTo(receiver.reorder().late());
        assertThat(a.peerStatus().getFirst().paths()).allSatisfy(p -> assertThat(p.minRttMicros()).isBetween(1L, p.srttMicros()));
        // Stragglers are released late rather than dropped; a loaded machine makes more of them
        // (measured under 5 % on a quiet one), but they stay a small minority.
        assertThat(outOfOrder).as("late stragglers among %d delivered", delivered).isLessThan(delivered / 10);
    }

    @Test
    void backupPathCarriesNothingWhileThePreferredOneIsUp() throws Exception {
        start(1);
        long got = send(1000, 1);
        assertThat(got).as("delivered over the primary (a loaded machine loses a few to the relay)").isGreaterThan(900);
        // Nothing, unless a scheduling stall on a loaded machine made path one look SUSPECT for a
        // moment (seen once under load 10): then a handful may go to the backup, never a share.
        assertThat(two.dataFromA()).as("backup path data while path one is up").isLessThanOrEqualTo(got / 50);
        assertThat(one.dataFromA()).isGreaterThanOrEqualTo(got);

        one.cut();
        await(() -> states().getFirst().equals("DOWN"), "path one down after the cut");
        long oneBefore = one.dataFromA();
        got = send(1000, 1);
        assertThat(got).isGreaterThan(700);
        assertThat(one.dataFromA()).isEqualTo(oneBefore);
        assertThat(two.dataFromA()).isGreaterThanOrEqualTo(got);
    }
}
