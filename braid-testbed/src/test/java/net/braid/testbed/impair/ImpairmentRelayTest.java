package net.braid.testbed.impair;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay in this JVM on loopback. Bounds are generous: these check that the relay does what it
 * is told, not how fast a loaded machine is.
 */
class ImpairmentRelayTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private Sink sink;
    private ImpairmentRelay relay;
    private Sink.Sender sender;

    @AfterEach
    void close() throws IOException {
        if (sender != null) {
            sender.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    /**
     * The counters once every datagram received is accounted for (forwarded, dropped or an
     * error): the sender thread counts a datagram just after sending it, so a test that saw it
     * arrive may otherwise read the counter a moment too early.
     */
    static RelayCounters settled(ImpairmentControl relay) throws InterruptedException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (true) {
            RelayCounters c = relay.counters();
            if ((accounted(c.up()) && accounted(c.down())) || System.nanoTime() > deadline) {
                return c;
            }
            Thread.sleep(1);
        }
    }

    private static boolean accounted(DirectionCounters c) {
        return c.received() + c.duplicated() == c.forwarded() + c.dropped() + c.errors();
    }

    private void start(Impairment impairment, int size) throws IOException {
        start(ImpairmentRelay.listen(ANY_LOOPBACK).impairment(impairment), size);
    }

    private void start(ImpairmentRelay.Builder builder, int size) throws IOException {
        sink = new Sink();
        relay = builder.target(sink.address()).seed(42).start();
        sender = new Sink.Sender(relay.listenAddress(), size);
    }

    @Test
    void delaysEachDatagramByTheConfiguredTime() throws Exception {
        start(Impairment.NONE.withDelay(Duration.ofMillis(5)), 100);
        for (int i = 0; i < 200; i++) {
            sender.send(i);
            Thread.sleep(1);
        }
        assertThat(sink.await(200, Duration.ofSeconds(5))).isEqualTo(200);
        long[] transit = new long[200];
        for (int i = 0; i < 200; i++) {
            transit[i] = sink.transit(i);
        }
        Arrays.sort(transit);
        System.out.printf("one-way through the relay with 5 ms delay: min %.3f median %.3f p99 %.3f ms%n",
                transit[0] / 1e6, transit[100] / 1e6, transit[198] / 1e6);
        assertThat(transit[0]).as("minimum one-way ns").isGreaterThanOrEqualTo(5_000_000);
        // A loaded machine only adds time: the bound above is loose, the one below exact.
        assertThat(transit[100]).as("median one-way ns").isLessThan(100_000_000);
        assertThat(settled(relay).up().forwarded()).isEqualTo(200);
    }

    @Test
    void delaysBothDirectionsOfARoundTrip() throws Exception {
        try (UdpEcho echo = UdpEcho.start(ANY_LOOPBACK);
                ImpairmentRelay r = ImpairmentRelay.listen(ANY_LOOPBACK).target(echo.address())
                        .impairment(Impairment.NONE.withDelay(Duration.ofMillis(20))).start()) {
            UdpEcho.Probe probe = UdpEcho.probe(r.listenAddress(), 10, Duration.ofMillis(5), Duration.ofSeconds(1));
            assertThat(probe.received()).isEqualTo(10);
            assertThat(probe.minMs()).isGreaterThanOrEqualTo(40);
            assertThat(probe.avgMs()).isLessThan(150);
            assertThat(settled(r).down().forwarded()).isEqualTo(10);
            assertThat(r.client()).isPresent();
        }
    }

    @Test
    void delayChangedWhileRunningAppliesToLaterDatagrams() throws Exception {
        start(Impairment.NONE.withDelay(Duration.ofMillis(2)), 100);
        sender.send(0);
        assertThat(sink.await(1, Duration.ofSeconds(2))).isEqualTo(1);
        assertThat(relay.command("up delay 30ms")).isEqualTo("ok up delay 30ms");
        sender.send(1);
        assertThat(sink.await(2, Duration.ofSeconds(2))).isEqualTo(2);
        assertThat(sink.transit(0)).isBetween(2_000_000L, 30_000_000L);
        assertThat(sink.transit(1)).isGreaterThanOrEqualTo(30_000_000L);
        assertThat(relay.impairment(Direction.DOWN).delay()).isEqualTo(Duration.ofMillis(2));
    }

    @Test
    void randomLossNearItsRateOverTenThousandDatagrams() throws Exception {
        start(Impairment.NONE.withLoss(10), 64);
        sender.sendPaced(10_000, 50);
        sink.settle(Duration.ofMillis(200));
        DirectionCounters up = settled(relay).up();
        assertThat(up.received()).isGreaterThan(9_000);
        double lossPercent = 100.0 * up.droppedLoss() / up.received();
        assertThat(lossPercent).isBetween(8.0, 12.0);
        assertThat(up.forwarded() + up.droppedLoss()).isEqualTo(up.received());
        assertThat(sink.count()).isEqualTo((int) up.forwarded());
    }

    @Test
    void gilbertLossAtItsMeanRate() throws Exception {
        // enter 1%, leave 20%: mean loss 1/21 ≈ 4.8 % (burst lengths: LossProcessTest)
        start(Impairment.NONE.withLoss(new LossModel.GilbertElliott(1, 20)), 64);
        sender.sendPaced(10_000, 50);
        sink.settle(Duration.ofMillis(200));
        DirectionCounters up = settled(relay).up();
        assertThat(up.received()).isGreaterThan(9_000);
        assertThat(100.0 * up.droppedLoss() / up.received()).isBetween(2.5, 8.0);
        assertThat(up.forwarded() + up.droppedLoss()).isEqualTo(up.received());
    }

    @Test
    void rateLimitPacesABurstNearTheRate() throws Exception {
        // 8 Mbit/s with room for the whole burst: 400 x 1000 bytes = 3.2 Mbit, about 0.4 s
        start(Impairment.NONE.withRate(8_000_000).withQueue(1 << 20), 1000);
        sender.sendPaced(400, 100);
        assertThat(sink.await(400, Duration.ofSeconds(5))).isEqualTo(400);
        double seconds = (sink.arrivedAt(399) - sink.arrivedAt(0)) / 1e9;
        double mbits = 399 * 1000 * 8 / seconds / 1e6;
        // Never faster than the rate (plus the first datagram's head start); slower only under load.
        assertThat(mbits).isBetween(2.0, 10.0);
        assertThat(settled(relay).up().droppedQueue()).isZero();
    }

    @Test
    void fullQueueDropsAndCounts() throws Exception {
        // 1 Mbit/s with a 10 kB queue: of a 100-datagram burst only about ten fit
        start(Impairment.NONE.withRate(1_000_000).withQueue(10_000), 1000);
        for (int i = 0; i < 100; i++) {
            sender.send(i);
        }
        sink.settle(Duration.ofMillis(300));
        DirectionCounters up = settled(relay).up();
        assertThat(up.received()).isEqualTo(100);
        assertThat(up.droppedQueue()).isBetween(80L, 95L);
        assertThat(up.forwarded() + up.droppedQueue()).isEqualTo(100);
        assertThat(sink.count()).isEqualTo((int) up.forwarded());
    }

    @Test
    void exhaustedBufferPoolDropsAsQueueDrops() throws Exception {
        start(ImpairmentRelay.listen(ANY_LOOPBACK).slots(16).impairment(Impairment.NONE.withDelay(Duration.ofMillis(300))), 100);
        for (int i = 0; i < 50; i++) {
            sender.send(i);
        }
        Thread.sleep(100);
        assertThat(relay.waiting(Direction.UP)).isEqualTo(16);
        assertThat(sink.await(16, Duration.ofSeconds(3))).isEqualTo(16);
        assertThat(settled(relay).up().droppedQueue()).isEqualTo(34);
    }

    @Test
    void jitterKeepsOrderUnlessReorderIsAllowed() throws Exception {
        Impairment jittery = Impairment.NONE.withDelay(Duration.ofMillis(10)).withJitter(Duration.ofMillis(8));
        start(jittery, 64);
        sender.sendPaced(2000, 20);
        assertThat(sink.await(2000, Duration.ofSeconds(5))).isEqualTo(2000);
        for (int i = 0; i < 2000; i++) {
            assertThat(sink.seq(i)).isEqualTo(i);
        }
        int reordered = 0;
        relay.set(Direction.UP, jittery.withReorder(true));
        for (int i = 0; i < 2000; i++) {
            sender.send(10_000 + i);
            if (i % 20 == 19) {
                Thread.sleep(1);
            }
        }
        assertThat(sink.await(4000, Duration.ofSeconds(5))).isEqualTo(4000);
        for (int i = 2001; i < 4000; i++) {
            if (sink.seq(i) < sink.seq(i - 1)) {
                reordered++;
            }
        }
        assertThat(reordered).as("with reorder on, jitter of 8 ms must reorder datagrams sent ~50 us apart").isPositive();
    }

    @Test
    void normalJitterSpreadsAroundTheDelay() throws Exception {
        start(Impairment.NONE.withDelay(Duration.ofMillis(20)).withJitter(Duration.ofMillis(3), Impairment.JitterShape.NORMAL).withReorder(true), 64);
        for (int i = 0; i < 300; i++) {
            sender.send(i);
            Thread.sleep(1);
        }
        assertThat(sink.await(300, Duration.ofSeconds(5))).isEqualTo(300);
        long[] transit = new long[300];
        int early = 0;
        for (int i = 0; i < 300; i++) {
            transit[i] = sink.transit(i);
            early += transit[i] < 15_000_000 ? 1 : 0;
        }
        Arrays.sort(transit);
        System.out.printf("one-way with 20 ms delay and normal 3 ms jitter: p10 %.3f median %.3f p90 %.3f ms%n",
                transit[30] / 1e6, transit[150] / 1e6, transit[270] / 1e6);
        // A loaded machine only adds time, so these look at the early side: about 5 % below 15 ms,
        // which uniform ±3 ms never gives, and no tail reaching below 20 - 2.3 sd.
        assertThat(transit[30] / 1e6).as("10th percentile ms").isGreaterThan(13.0);
        assertThat(early).as("datagrams faster than 15 ms").isBetween(1, 45);
    }

    @Test
    void cutDropsEverythingAndRestoreResumes() throws Exception {
        start(Impairment.NONE, 64);
        relay.cut();
        for (int i = 0; i < 100; i++) {
            sender.send(i);
        }
        Thread.sleep(200);
        assertThat(sink.count()).isZero();
        assertThat(settled(relay).up().droppedCut()).isEqualTo(100);

        relay.restore();
        for (int i = 100; i < 200; i++) {
            sender.send(i);
        }
        assertThat(sink.await(100, Duration.ofSeconds(2))).isEqualTo(100);
        assertThat(sink.seq(0)).isEqualTo(100);
        assertThat(settled(relay).up().forwarded()).isEqualTo(100);
    }

    @Test
    void cutAlsoDropsWhatIsAlreadyDelayed() throws Exception {
        start(Impairment.NONE.withDelay(Duration.ofMillis(200)), 64);
        for (int i = 0; i < 10; i++) {
            sender.send(i);
        }
        Thread.sleep(50);
        relay.cut(Direction.UP);
        Thread.sleep(300);
        assertThat(sink.count()).isZero();
        assertThat(settled(relay).up().droppedCut()).isEqualTo(10);
        assertThat(relay.isCut(Direction.DOWN)).isFalse();
    }

    @Test
    void duplicatesSendASecondCopy() throws Exception {
        start(Impairment.NONE.withDuplicate(100), 64);
        sender.sendPaced(50, 10);
        assertThat(sink.await(100, Duration.ofSeconds(2))).isEqualTo(100);
        DirectionCounters up = settled(relay).up();
        assertThat(up.duplicated()).isEqualTo(50);
        assertThat(up.forwarded()).isEqualTo(100);
        assertThat(sink.seq(0)).isEqualTo(sink.seq(1));
    }

    @Test
    void answersGoBackToTheLastClient() throws Exception {
        try (UdpEcho echo = UdpEcho.start(ANY_LOOPBACK);
                ImpairmentRelay r = ImpairmentRelay.listen(ANY_LOOPBACK).target(echo.address()).start();
                Sink.Sender first = new Sink.Sender(r.listenAddress(), 16);
                Sink.Sender second = new Sink.Sender(r.listenAddress(), 16)) {
            first.send(1);
            ByteBuffer reply = ByteBuffer.allocate(16);
            first.channel().receive(reply);
            assertThat(reply.getInt(0)).isEqualTo(1);
            second.send(2);
            reply.clear();
            second.channel().receive(reply);
            assertThat(reply.getInt(0)).isEqualTo(2);
            assertThat(r.client()).contains(second.channel().getLocalAddress());
        }
    }

    @Test
    void datagramsOfMixedSizesAllArriveWhole() throws Exception {
        // A braid path mixes 36-byte keepalives, feedback and full packets; each size after a
        // shorter one once killed the relay's receiver (a reused slot kept the old length as limit).
        int[] sizes = {36, 48, 36, 1400, 50, 1400, 36, 60, 1200, 36};
        try (DatagramChannel target = DatagramChannel.open().bind(ANY_LOOPBACK);
                ImpairmentRelay r = ImpairmentRelay.listen(ANY_LOOPBACK).target((InetSocketAddress) target.getLocalAddress())
                        .impairment(Impairment.NONE.withDelay(Duration.ofMillis(2))).start();
                DatagramChannel client = DatagramChannel.open().connect(r.listenAddress())) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < sizes.length; i++) {
                    ByteBuffer out = ByteBuffer.allocate(sizes[i]);
                    out.put(0, (byte) i);
                    client.write(out);
                    Thread.sleep(1); // one at a time, so slots are reused as on a quiet path
                }
            }
            target.socket().setSoTimeout(5000); // a dead relay fails the test instead of hanging it
            DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
            for (int n = 0; n < 3 * sizes.length; n++) {
                packet.setLength(2048);
                target.socket().receive(packet);
                int i = n % sizes.length;
                assertThat(packet.getLength()).as("size of datagram %d", n).isEqualTo(sizes[i]);
                assertThat(packet.getData()[0]).as("first byte of datagram %d", n).isEqualTo((byte) i);
            }
            RelayCounters c = settled(r);
            assertThat(c.up().forwarded()).isEqualTo(3L * sizes.length);
            assertThat(c.up().errors()).isZero();
        }
    }

    @Test
    void oversizeDatagramsCountAsErrors() throws Exception {
        start(ImpairmentRelay.listen(ANY_LOOPBACK).maxDatagram(512), 1000);
        sender.send(0);
        Thread.sleep(200);
        assertThat(sink.count()).isZero();
        assertThat(settled(relay).up().errors()).isEqualTo(1);
    }

    @Test
    void statsAndShowAnswerOnOneLine() throws Exception {
        start(Impairment.NONE, 64);
        relay.command("down rate 10mbit");
        sender.send(0);
        sink.await(1, Duration.ofSeconds(2));
        settled(relay);
        String stats = relay.command("stats");
        assertThat(stats).startsWith("stats up.received=1 up.forwarded=1 ").doesNotContain("\n");
        assertThat(RelayCounters.parse(stats)).isEqualTo(relay.counters());
        assertThat(relay.command("show")).startsWith("show up: delay=0ms").contains("down: ", "rate=10mbit").doesNotContain("\n");
    }
}
