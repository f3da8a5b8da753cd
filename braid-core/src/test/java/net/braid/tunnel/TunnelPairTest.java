package net.braid.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.braid.config.IpPrefix;
import net.braid.crypto.KeyPair;
import net.braid.device.MemoryPacketDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two portals in one JVM over loopback UDP, each with an in-memory packet device. */
class TunnelPairTest {
    private final KeyPair keyA = KeyPair.generate();
    private final KeyPair keyB = KeyPair.generate();
    private final MemoryPacketDevice devA = new MemoryPacketDevice("a0", 1420);
    private MemoryPacketDevice devB = new MemoryPacketDevice("b0", 1420);
    private Tunnel a;
    private Tunnel b;
    private UdpRelay relay;

    private static PeerSpec peer(KeyPair k, String host, int port, String... allowed) {
        return new PeerSpec(k.publicKey(), host, port, List.of(allowed).stream().map(IpPrefix::parse).toList(), 0);
    }

    /** Both portals read time from here; a test can jump it forward. */
    private final java.util.concurrent.atomic.AtomicLong clockOffset = new java.util.concurrent.atomic.AtomicLong();

    private long now() {
        return System.nanoTime() + clockOffset.get();
    }

    /** B listens (accept-only), A reaches B through the relay. */
    private void start(int bPort) throws Exception {
        b = new Tunnel(devB, keyB, bPort, List.of(peer(keyA, null, 0, "198.18.0.1/32", "2001:db8::1/128")),
                JdkUdpTransport::bind, Tunnel.ALL_SUITES, this::now);
        b.start();
        relay = new UdpRelay(b.listenPort());
        a = new Tunnel(devA, keyA, 0, List.of(peer(keyB, "127.0.0.1", relay.port(), "198.18.0.0/24", "2001:db8::/64")),
                JdkUdpTransport::bind, Tunnel.ALL_SUITES, this::now);
        a.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (a != null) a.close();
        if (b != null) b.close();
        if (relay != null) relay.close();
    }

    private byte[] roundTrip(String text) throws Exception {
        byte[] p = TestPackets.udp4("198.18.0.1", "198.18.0.2", text.getBytes(StandardCharsets.UTF_8));
        devA.inject(p);
        return devB.awaitSent(5, TimeUnit.SECONDS);
    }

    @Test
    void packetsCrossBothWaysAfterTheHandshake() throws Exception {
        start(0);
        assertThat(roundTrip("first, staged until the handshake completes")).isNotNull();
        byte[] back = TestPackets.udp4("198.18.0.2", "198.18.0.1", "reply".getBytes());
        devB.inject(back);
        assertThat(devA.awaitSent(5, TimeUnit.SECONDS)).isEqualTo(back);
        byte[] v6 = TestPackets.udp6("2001:db8::1", "2001:db8::2", "over six".getBytes());
        devA.inject(v6);
        assertThat(devB.awaitSent(5, TimeUnit.SECONDS)).isEqualTo(v6);
        assertThat(a.peerStatus().getFirst().lastHandshake()).isNotNull();
        assertThat(b.peerStatus().getFirst().rxBytes()).isPositive();
    }

    @Test
    void junkAndReplaysAreDroppedAndCountedWhileTrafficFlows() throws Exception {
        start(0);
        assertThat(roundTrip("warm up so a data packet is recorded")).isNotNull();
        byte[] captured = relay.lastData();
        assertThat(captured).isNotNull();
        relay.injectToB(captured);                               // replay
        relay.injectToB(new byte[] {9, 9, 9, 9, 9});             // unknown type
        relay.injectToB(new byte[] {1, 0, 0, 0});                // short initiation
        byte[] forged = captured.clone();
        forged[forged.length - 1] ^= 1;
        forged[8] = 0x7f;                                        // fresh counter, bad tag
        relay.injectToB(forged);
        for (int i = 0; i < 20; i++) assertThat(roundTrip("still fine " + i)).isNotNull();
        TunnelStats s = b.stats();
        assertThat(s.replayed.get()).isEqualTo(1);
        assertThat(s.junk.get()).isEqualTo(2);
        assertThat(s.authFailed.get()).isEqualTo(1);
    }

    @Test
    void sourceOutsideAllowedIpsIsDropped() throws Exception {
        start(0);
        assertThat(roundTrip("handshake")).isNotNull();
        devA.inject(TestPackets.udp4("198.18.0.77", "198.18.0.2", "spoofed".getBytes()));
        assertThat(devB.awaitSent(500, TimeUnit.MILLISECONDS)).isNull();
        assertThat(b.stats().badInner.get()).isEqualTo(1);
    }

    @Test
    void packetWithoutRouteIsCounted() throws Exception {
        start(0);
        devA.inject(TestPackets.udp4("198.18.0.1", "198.19.5.5", "nowhere".getBytes()));
        Thread.sleep(200);
        assertThat(a.stats().noRoute.get()).isEqualTo(1);
    }

    @Test
    void followsAPeerThatRoams() throws Exception {
        start(0);
        assertThat(roundTrip("before")).isNotNull();
        String before = b.peerStatus().getFirst().endpoint();
        relay.rebind();
        assertThat(roundTrip("after roaming")).isNotNull();
        String after = b.peerStatus().getFirst().endpoint();
        assertThat(after).isNotEqualTo(before);
        byte[] back = TestPackets.udp4("198.18.0.2", "198.18.0.1", "to the new address".getBytes());
        devB.inject(back);
        assertThat(devA.awaitSent(5, TimeUnit.SECONDS)).isEqualTo(back);
    }

    @Test
    void recoversWhenTheAcceptingPortalRestarts() throws Exception {
        start(0);
        assertThat(roundTrip("before restart")).isNotNull();
        int port = b.listenPort();
        b.close();
        devB = new MemoryPacketDevice("b0", 1420);
        b = new Tunnel(devB, keyB, port, List.of(peer(keyA, null, 0, "198.18.0.1/32")));
        b.start();
        // A still holds the old session; B drops its packets until A notices the silence.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        byte[] got = null;
        for (int i = 0; got == null && System.nanoTime() < deadline; i++) {
            devA.inject(TestPackets.udp4("198.18.0.1", "198.18.0.2", ("after restart " + i).getBytes()));
            got = devB.awaitSent(200, TimeUnit.MILLISECONDS);
        }
        assertThat(got).as("tunnel recovered after the peer restarted").isNotNull();
        assertThat(b.stats().unknownSession.get()).isPositive();
    }

    @Test
    void rekeysAfterTwoMinutesAndAfterExpiryWithoutLosingTraffic() throws Exception {
        start(0);
        assertThat(roundTrip("first session")).isNotNull();
        java.time.Instant first = a.peerStatus().getFirst().lastHandshake();
        Thread.sleep(5);
        clockOffset.addAndGet(TimeUnit.SECONDS.toNanos(121)); // past REKEY_AFTER_TIME
        assertThat(roundTrip("old session still sends while the new handshake runs")).isNotNull();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (a.peerStatus().getFirst().lastHandshake().equals(first) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        java.time.Instant second = a.peerStatus().getFirst().lastHandshake();
        assertThat(second).isAfter(first);
        assertThat(roundTrip("on the new session")).isNotNull();

        clockOffset.addAndGet(TimeUnit.SECONDS.toNanos(200)); // past REJECT_AFTER_TIME: no key may send
        assertThat(roundTrip("staged until a fresh handshake")).isNotNull();
        assertThat(a.peerStatus().getFirst().lastHandshake()).isAfter(second);
    }
}
