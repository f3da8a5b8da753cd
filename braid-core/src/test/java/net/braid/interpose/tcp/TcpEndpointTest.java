package net.braid.interpose.tcp;

import static net.braid.interpose.tcp.AppPeer.ms;
import static net.braid.packet.TcpHeader.ACK;
import static net.braid.packet.TcpHeader.FIN;
import static net.braid.packet.TcpHeader.PSH;
import static net.braid.packet.TcpHeader.RST;
import static net.braid.packet.TcpHeader.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.braid.packet.TcpOptions;
import net.braid.packet.TcpSegment;
import org.junit.jupiter.api.Test;

class TcpEndpointTest {

    /** Our ISN as the endpoint chose it, learned from the SYN-ACK. */
    private long iss;

    private AppPeer established(AppPeer app, int window) {
        app.open(TcpOptions.syn(1400, 7, true, -1), 64240);
        app.endpoint.upstreamConnected(app.now);
        TcpSegment synAck = app.out.take().getFirst();
        iss = synAck.seq();
        app.send(app.seq(1), iss + 1, ACK, window, new byte[0]);
        assertThat(app.endpoint.state()).isEqualTo(TcpState.ESTABLISHED);
        return app;
    }

    private long our(long off) {
        return (iss + off) & 0xFFFF_FFFFL;
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed);
        return b;
    }

    @Test
    void synIsAnsweredOnlyAfterUpstreamConnectsWithOurOptions() {
        var app = new AppPeer();
        app.open(TcpOptions.syn(1400, 7, true, -1), 64240);
        assertThat(app.out.connects).isEqualTo(1);
        assertThat(app.out.toApp).isEmpty();
        assertThat(app.endpoint.state()).isEqualTo(TcpState.CONNECTING);

        app.endpoint.upstreamConnected(app.now);
        List<TcpSegment> sent = app.out.take();
        assertThat(sent).hasSize(1);
        TcpSegment synAck = sent.getFirst();
        assertThat(synAck.flags()).isEqualTo(SYN | ACK);
        assertThat(synAck.ack()).isEqualTo(app.seq(1));
        assertThat(synAck.srcPort()).isEqualTo(443);
        assertThat(synAck.dstPort()).isEqualTo(40000);
        assertThat(synAck.addresses()).isEqualTo(AppPeer.V4.reversed());
        assertThat(synAck.options().mss()).isEqualTo(1460);
        assertThat(synAck.options().windowScale()).isEqualTo(5); // 1 MiB >> 5 fits 16 bits
        assertThat(synAck.options().sackPermitted()).isFalse();
        assertThat(synAck.options().timestamps()).isFalse();
        assertThat(synAck.window()).isEqualTo(65535);
        assertThat(app.endpoint.mss()).isEqualTo(1400);
    }

    @Test
    void withoutWindowScaleFromTheAppNoneIsOffered() {
        var app = new AppPeer();
        app.open(TcpOptions.syn(1460, -1, false, -1), 8192);
        app.endpoint.upstreamConnected(app.now);
        assertThat(app.out.take().getFirst().options().windowScale()).isEqualTo(-1);
    }

    @Test
    void isnsDifferBetweenConnections() {
        var a = new AppPeer();
        a.open(TcpOptions.NONE, 1000);
        a.endpoint.upstreamConnected(a.now);
        var b = new AppPeer();
        b.endpoint = TcpEndpoint.open(b.key, b.packet(b.isn, 0, SYN, 1000, TcpOptions.NONE, new byte[0]), 20,
                b.config, b.out, new java.util.SplittableRandom(8), b.now);
        b.endpoint.upstreamConnected(b.now);
        assertThat(a.out.take().getFirst().seq()).isNotEqualTo(b.out.take().getFirst().seq());
    }

    @Test
    void retransmittedSynGetsTheSameSynAck() {
        var app = new AppPeer();
        app.open(TcpOptions.syn(1400, 7, false, -1), 64240);
        ByteBuffer again = app.packet(app.isn, 0, SYN, 64240, TcpOptions.syn(1400, 7, false, -1), new byte[0]);
        app.send(again.duplicate());
        assertThat(app.out.toApp).isEmpty(); // still connecting upstream
        app.endpoint.upstreamConnected(app.now);
        TcpSegment first = app.out.take().getFirst();
        app.send(again.duplicate());
        TcpSegment second = app.out.take().getFirst();
        assertThat(second).isEqualTo(first);
        assertThat(app.out.connects).isEqualTo(1);
    }

    @Test
    void synToAnUnreachableTargetIsReset() {
        var app = new AppPeer();
        app.open(TcpOptions.syn(1400, 7, false, -1), 64240);
        app.endpoint.upstreamRefused(app.now);
        TcpSegment rst = app.out.take().getFirst();
        assertThat(rst.flags()).isEqualTo(RST | ACK);
        assertThat(rst.seq()).isZero();
        assertThat(rst.ack()).isEqualTo(app.seq(1));
        assertThat(app.endpoint.state()).isEqualTo(TcpState.CLOSED);
        assertThat(app.out.closed).isEqualTo(1);
    }

    @Test
    void synAckIsRetransmittedWithBackoffUntilAcknowledged() {
        var app = new AppPeer();
        app.open(TcpOptions.syn(1400, 7, false, -1), 64240);
        app.endpoint.upstreamConnected(app.now);
        TcpSegment synAck = app.out.take().getFirst();
        long start = app.now;
        assertThat(app.endpoint.nextDeadline()).isEqualTo(start + ms(1000));
        app.now = start + ms(1000);
        app.endpoint.tick(app.now);
        assertThat(app.out.take()).containsExactly(synAck);
        assertThat(app.endpoint.nextDeadline()).isEqualTo(app.now + ms(2000));
        app.send(app.seq(1), synAck.seq() + 1, ACK, 64240, new byte[0]);
        assertThat(app.endpoint.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void inOrderDataGoesUpstreamAndIsAcknowledgedOnFlush() {
        var app = established(new AppPeer(), 502);
        byte[] data = bytes(1000, 1);
        app.send(app.seq(1), our(1), ACK | PSH, 502, data);
        assertThat(app.out.upstream.toByteArray()).isEqualTo(data);
        assertThat(app.out.toApp).isEmpty(); // delayed to the flush
        app.endpoint.flush(app.now);
        TcpSegment ack = app.out.take().getFirst();
        assertThat(ack.ack()).isEqualTo(app.seq(1001));
        // 1 MiB buffer, 1000 bytes unconsumed: the edge only moves in MSS steps, so the field stays put.
        assertThat((long) ack.window() << 5).isGreaterThanOrEqualTo((1 << 20) - 1000 - 1460);
    }

    @Test
    void outOfOrderSegmentsAreHeldAndDuplicateAcked() {
        var app = established(new AppPeer(), 502);
        byte[] data = bytes(3000, 2);
        app.send(app.seq(1001), our(1), ACK, 502, Arrays.copyOfRange(data, 1000, 2000));
        app.send(app.seq(2001), our(1), ACK, 502, Arrays.copyOfRange(data, 2000, 3000));
        List<TcpSegment> dups = app.out.take();
        assertThat(dups).hasSize(2).allSatisfy(s -> assertThat(s.ack()).isEqualTo(app.seq(1)));
        assertThat(app.out.upstream.size()).isZero();

        app.send(app.seq(1), our(1), ACK, 502, Arrays.copyOfRange(data, 0, 1000));
        assertThat(app.out.upstream.toByteArray()).isEqualTo(data);
        assertThat(app.out.take()).singleElement().satisfies(s -> assertThat(s.ack()).isEqualTo(app.seq(3001)));
    }

    @Test
    void overlappingRetransmissionDeliversOnlyNewBytes() {
        var app = established(new AppPeer(), 502);
        byte[] data = bytes(2000, 3);
        app.send(app.seq(1), our(1), ACK, 502, Arrays.copyOfRange(data, 0, 1000));
        app.send(app.seq(501), our(1), ACK, 502, Arrays.copyOfRange(data, 500, 2000));
        assertThat(app.out.upstream.toByteArray()).isEqualTo(data);
        app.send(app.seq(1), our(1), ACK, 502, Arrays.copyOfRange(data, 0, 1000)); // all old
        assertThat(app.out.take().getLast().ack()).isEqualTo(app.seq(2001));
        assertThat(app.out.upstream.size()).isEqualTo(2000);
    }

    @Test
    void lostDataIsRetransmittedWithRtoBackoff() {
        var app = established(new AppPeer(), 502); // 502 << 7 = 64256 bytes of app window
        app.endpoint.upstreamData(ByteBuffer.wrap(bytes(3000, 4)), app.now);
        List<TcpSegment> first = app.out.take();
        assertThat(first).extracting(TcpSegment::seq).containsExactly(our(1), our(1401), our(2801));
        assertThat(first.get(2).payload()).hasSize(200);

        long t0 = app.now;
        // the handshake gave one RTT sample of 0: RTO = max(minRto, 0 + G) = 200 ms
        assertThat(app.endpoint.nextDeadline()).isEqualTo(t0 + ms(200));
        app.now = t0 + ms(200);
        app.endpoint.tick(app.now);
        assertThat(app.out.take()).singleElement().satisfies(s -> {
            assertThat(s.seq()).isEqualTo(our(1));
            assertThat(s.payload()).hasSize(1400);
        });
        assertThat(app.endpoint.nextDeadline()).isEqualTo(app.now + ms(400));
        app.now += ms(400);
        app.endpoint.tick(app.now);
        assertThat(app.out.take()).singleElement().satisfies(s -> assertThat(s.seq()).isEqualTo(our(1)));
        assertThat(app.endpoint.nextDeadline()).isEqualTo(app.now + ms(800));

        // The app acknowledges the first segment: go-back-N resends the rest, slow start from one MSS.
        app.send(app.seq(1), our(1401), ACK, 502, new byte[0]);
        assertThat(app.out.take()).extracting(TcpSegment::seq).containsExactly(our(1401), our(2801));
        app.send(app.seq(1), our(3001), ACK, 502, new byte[0]);
        assertThat(app.endpoint.nextDeadline()).isGreaterThan(app.now + ms(1000)); // timer off: idle timeout only
        assertThat(app.endpoint.retransmissions()).isEqualTo(2);
    }

    @Test
    void threeDuplicateAcksTriggerFastRetransmit() {
        var app = established(new AppPeer(), 502);
        app.endpoint.upstreamData(ByteBuffer.wrap(bytes(7000, 5)), app.now);
        assertThat(app.out.take()).hasSize(5);
        app.send(app.seq(1), our(1401), ACK, 502, new byte[0]);
        for (int i = 0; i < 2; i++) app.send(app.seq(1), our(1401), ACK, 502, new byte[0]);
        assertThat(app.out.take()).isEmpty();
        app.send(app.seq(1), our(1401), ACK, 502, new byte[0]);
        assertThat(app.out.take()).singleElement().satisfies(s -> assertThat(s.seq()).isEqualTo(our(1401)));
        // Partial ACK during recovery: the next hole at once (NewReno).
        app.send(app.seq(1), our(2801), ACK, 502, new byte[0]);
        assertThat(app.out.take()).first().satisfies(s -> assertThat(s.seq()).isEqualTo(our(2801)));
        app.send(app.seq(1), our(7001), ACK, 502, new byte[0]);
        assertThat(app.endpoint.retransmissions()).isEqualTo(2);
    }

    @Test
    void neverSendsBeyondTheAppsWindowAndProbesAZeroWindow() {
        var app = established(new AppPeer(), 0);
        app.endpoint.upstreamData(ByteBuffer.wrap(bytes(3000, 6)), app.now);
        assertThat(app.out.take()).isEmpty();
        long probeAt = app.endpoint.nextDeadline();
        assertThat(probeAt).isEqualTo(app.now + ms(200));
        app.now = probeAt;
        app.endpoint.tick(app.now);
        TcpSegment probe = app.out.take().getFirst();
        assertThat(probe.payload()).isEmpty();
        assertThat(probe.seq()).isEqualTo(our(0)); // one below SND.UNA: the app must answer
        assertThat(app.endpoint.nextDeadline()).isEqualTo(app.now + ms(400)); // backed off

        app.send(app.seq(1), our(1), ACK, 8, new byte[0]); // 8 << 7 = 1024 bytes
        List<TcpSegment> sent = app.out.take();
        assertThat(sent).singleElement().satisfies(s -> assertThat(s.payload()).hasSize(1024));
        app.send(app.seq(1), our(1025), ACK, 502, new byte[0]);
        assertThat(app.out.take()).extracting(s -> s.payload().length).containsExactly(1400, 576);
    }

    @Test
    void ourWindowIsTheRoomLeftUpstreamAndReopens() {
        var config = TcpConfig.defaults(1500).withBuffers(8192, 8192);
        var app = new AppPeer(AppPeer.V4, config);
        app.open(TcpOptions.syn(1400, -1, false, -1), 64240);
        app.endpoint.upstreamConnected(app.now);
        iss = app.out.take().getFirst().seq();
        app.send(app.seq(1), our(1), ACK, 64240, new byte[0]);
        byte[] data = bytes(8192, 7);
        for (int off = 0; off < 8192; off += 1024) {
            app.send(app.seq(1 + off), our(1), ACK, 64240, Arrays.copyOfRange(data, off, off + 1024));
        }
        app.endpoint.flush(app.now);
        assertThat(app.out.take().getLast()).satisfies(s -> {
            assertThat(s.ack()).isEqualTo(app.seq(8193));
            assertThat(s.window()).isZero();
        });
        app.send(app.seq(8193), our(1), ACK, 64240, bytes(100, 8)); // beyond the window: dropped, ACKed
        assertThat(app.out.upstream.size()).isEqualTo(8192);
        assertThat(app.out.take()).singleElement().satisfies(s -> assertThat(s.ack()).isEqualTo(app.seq(8193)));

        app.endpoint.upstreamConsumed(1000, app.now);
        assertThat(app.out.take()).isEmpty(); // under one MSS: no silly window update
        app.endpoint.upstreamConsumed(3000, app.now);
        assertThat(app.out.take()).singleElement().satisfies(s -> assertThat(s.window()).isEqualTo(4000));
    }

    @Test
    void appClosesFirst() {
        var app = established(new AppPeer(), 502);
        app.send(app.seq(1), our(1), ACK | FIN, 502, bytes(10, 9));
        assertThat(app.out.upstreamEnds).isEqualTo(1);
        assertThat(app.out.upstream.size()).isEqualTo(10);
        assertThat(app.endpoint.state()).isEqualTo(TcpState.CLOSE_WAIT);
        assertThat(app.out.take().getLast().ack()).isEqualTo(app.seq(12));

        app.endpoint.upstreamData(ByteBuffer.wrap(bytes(500, 10)), app.now); // still flows to the app
        app.endpoint.upstreamEnd(app.now);
        List<TcpSegment> sent = app.out.take();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).payload()).hasSize(500);
        assertThat(sent.get(1).flags()).isEqualTo(ACK | FIN);
        assertThat(sent.get(1).seq()).isEqualTo(our(501));
        assertThat(app.endpoint.state()).isEqualTo(TcpState.LAST_ACK);
        app.send(app.seq(12), our(502), ACK, 502, new byte[0]);
        assertThat(app.endpoint.state()).isEqualTo(TcpState.CLOSED);
        assertThat(app.out.closed).isEqualTo(1);
        assertThat(app.out.upstreamResets).isZero();
    }

    @Test
    void upstreamClosesFirstThenTimeWait() {
        var app = established(new AppPeer(), 502);
        app.endpoint.upstreamEnd(app.now);
        assertThat(app.out.take()).singleElement().satisfies(s -> {
            assertThat(s.flags()).isEqualTo(ACK | FIN);
            assertThat(s.seq()).isEqualTo(our(1));
        });
        assertThat(app.endpoint.state()).isEqualTo(TcpState.FIN_WAIT_1);
        app.send(app.seq(1), our(2), ACK, 502, new byte[0]);
        assertThat(app.endpoint.state()).isEqualTo(TcpState.FIN_WAIT_2);
        app.send(app.seq(1), our(2), ACK, 502, bytes(300, 11)); // the app still uploads
        assertThat(app.out.upstream.size()).isEqualTo(300);
        app.send(app.seq(301), our(2), ACK | FIN, 502, new byte[0]);
        assertThat(app.out.upstreamEnds).isEqualTo(1);
        assertThat(app.endpoint.state()).isEqualTo(TcpState.TIME_WAIT);
        app.out.take();
        app.send(app.seq(301), our(2), ACK | FIN, 502, new byte[0]); // our ACK was lost
        assertThat(app.out.take()).singleElement().satisfies(s -> assertThat(s.ack()).isEqualTo(app.seq(302)));
        assertThat(app.endpoint.nextDeadline()).isEqualTo(app.now + ms(30_000));
        app.now += ms(30_000);
        app.endpoint.tick(app.now);
        assertThat(app.endpoint.state()).isEqualTo(TcpState.CLOSED);
        assertThat(app.out.closed).isEqualTo(1);
    }

    @Test
    void simultaneousCloseGoesThroughClosing() {
        var app = established(new AppPeer(), 502);
        app.endpoint.upstreamEnd(app.now);
        app.send(app.seq(1), our(1), ACK | FIN, 502, new byte[0]); // crosses our FIN
        assertThat(app.endpoint.state()).isEqualTo(TcpState.CLOSING);
        app.send(app.seq(2), our(2), ACK, 502, new byte[0]);
        assertThat(app.endpoint.state()).isEqualTo(TcpState.TIME_WAIT);
    }

    @Test
    void outOfOrderFinWaitsForTheHole() {
        var app = established(new AppPeer(), 502);
        app.send(app.seq(101), our(1), ACK | FIN, 502, bytes(50, 12));
        assertThat(app.out.upstreamEnds).isZero();
        app.send(app.seq(1), our(1), ACK, 502, bytes(100, 13));
        assertThat(app.out.upstreamEnds).isEqualTo(1);
        assertThat(app.out.upstream.size()).isEqualTo(150);
        assertThat(app.out.take().getLast().ack()).isEqualTo(app.seq(152));
    }

    @Test
    void appResetResetsUpstreamOnlyOnAnExactSequence() {
        var app = established(new AppPeer(), 502);
        app.send(app.seq(1000), our(1), RST, 0, new byte[0]); // in window, not exact: challenge
        assertThat(app.out.take()).singleElement().satisfies(s -> assertThat(s.flags()).isEqualTo(ACK));
        assertThat(app.out.upstreamResets).isZero();
        app.send(app.seq(1), our(1), RST, 0, new byte[0]);
        assertThat(app.out.upstreamResets).isEqualTo(1);
        assertThat(app.endpoint.state()).isEqualTo(TcpState.CLOSED);
        assertThat(app.out.closed).isEqualTo(1);
    }

    @Test
    void synOnAnEstablishedConnectionGetsAChallengeAck() {
        var app = established(new AppPeer(), 502);
        app.send(app.seq(5000), 0, SYN, 1000, new byte[0]);
        assertThat(app.out.take()).singleElement().satisfies(s -> assertThat(s.flags()).isEqualTo(ACK));
        assertThat(app.endpoint.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void upstreamResetResetsTheApp() {
        var app = established(new AppPeer(), 502);
        app.endpoint.upstreamData(ByteBuffer.wrap(bytes(100, 14)), app.now);
        app.out.take();
        app.endpoint.upstreamReset(app.now);
        assertThat(app.out.take()).singleElement().satisfies(s -> {
            assertThat(s.flags()).isEqualTo(RST | ACK);
            assertThat(s.seq()).isEqualTo(our(101));
        });
        assertThat(app.endpoint.state()).isEqualTo(TcpState.CLOSED);
        assertThat(app.out.upstreamResets).isZero();
    }

    @Test
    void idleConnectionsAreResetBothWays() {
        var app = established(new AppPeer(), 502);
        assertThat(app.endpoint.nextDeadline()).isEqualTo(app.now + ms(600_000));
        app.now += ms(600_000);
        app.endpoint.tick(app.now);
        assertThat(app.out.take()).singleElement().satisfies(s -> assertThat(s.flags() & RST).isEqualTo(RST));
        assertThat(app.out.upstreamResets).isEqualTo(1);
        assertThat(app.endpoint.state()).isEqualTo(TcpState.CLOSED);
    }

    @Test
    void unansweredDataIsAbortedAfterTheRetransmissionLimit() {
        var app = established(new AppPeer(), 502);
        app.endpoint.upstreamData(ByteBuffer.wrap(bytes(100, 15)), app.now);
        for (int i = 0; i < 20 && app.endpoint.state() != TcpState.CLOSED; i++) {
            app.now = app.endpoint.nextDeadline();
            app.endpoint.tick(app.now);
        }
        assertThat(app.endpoint.state()).isEqualTo(TcpState.CLOSED);
        assertThat(app.endpoint.retransmissions()).isEqualTo(12);
        assertThat(app.out.upstreamResets).isEqualTo(1);
    }

    @Test
    void fullSendBufferTakesPartAndSignalsWhenItDrains() {
        var config = TcpConfig.defaults(1500).withBuffers(8192, 8192);
        var app = established(new AppPeer(AppPeer.V4, config), 502);
        assertThat(app.endpoint.upstreamData(ByteBuffer.wrap(bytes(10_000, 16)), app.now)).isEqualTo(8192);
        assertThat(app.endpoint.sendSpace()).isZero();
        app.send(app.seq(1), our(4201), ACK, 502, new byte[0]);
        assertThat(app.out.writable).isEqualTo(1);
        assertThat(app.endpoint.sendSpace()).isEqualTo(4200);
    }

    @Test
    void ipv6ConnectionCarriesData() {
        var app = established(new AppPeer(AppPeer.V6, TcpConfig.defaults(1500)), 502);
        app.endpoint.upstreamData(ByteBuffer.wrap(bytes(2000, 17)), app.now);
        List<TcpSegment> sent = app.out.take();
        assertThat(sent).extracting(s -> s.payload().length).containsExactly(1400, 600);
        assertThat(sent.getFirst().addresses()).isEqualTo(AppPeer.V6.reversed());
        assertThat(app.endpoint.mss()).isEqualTo(1400);
    }
}
