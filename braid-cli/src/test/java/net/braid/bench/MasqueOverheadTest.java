package net.braid.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class MasqueOverheadTest {
    private static final Predicate<MasquePcap.Datagram> TO_PROXY = d -> d.destinationPort() == 4433;

    private static MasquePcap.Datagram shortPacket(int from, int to, int length) {
        return new MasquePcap.Datagram(from, to, length, new byte[] {0x43, 0}, false);
    }

    @Test
    void smallestDifferenceIsTheOverheadAndTheMedianShowsPiggybackedFrames() {
        var datagrams = List.of(
                shortPacket(40000, 4433, 100 + 45),
                shortPacket(40000, 4433, 500 + 45),
                shortPacket(40000, 4433, 1200 + 45),
                shortPacket(40000, 4433, 100 + 45),
                shortPacket(40000, 4433, 500 + 30),  // a lone HEADERS packet near an inner size
                shortPacket(40000, 4433, 1200 + 52), // an ACK frame rode along
                shortPacket(40000, 4433, 1200 + 52),
                shortPacket(40000, 4433, 40),        // ACK only: matches no inner size
                shortPacket(4433, 40000, 500 + 44),  // other direction
                new MasquePcap.Datagram(40000, 4433, 600, new byte[] {0x40}, true)); // fragment

        var o = MasqueOverhead.measure("CONNECT-IP", "client → proxy", datagrams, TO_PROXY, List.of(100, 500, 1200)).orElseThrow();

        assertThat(o.samples()).isEqualTo(7);
        assertThat(o.min()).isEqualTo(45);
        assertThat(o.median()).isEqualTo(45);
        assertThat(o.onWire()).isEqualTo(45 + 28);
        assertThat(MasqueOverhead.measure("x", "y", List.of(shortPacket(1, 4433, 40)), TO_PROXY, List.of(100))).isEmpty();
        assertThat(MasqueOverhead.measure("x", "y", List.of(shortPacket(1, 4433, 140), shortPacket(1, 4433, 141), shortPacket(1, 4433, 142)),
                TO_PROXY, List.of(100))).as("no difference repeats").isEmpty();
    }

    @Test
    void connectionIdLengthsComeFromTheProxysLongHeader() {
        // RFC 9000 §17.2: 0xc0 | type, version 1, DCID length 8 + DCID, SCID length 20 + SCID.
        byte[] head = new byte[7 + 8 + 20];
        head[0] = (byte) 0xc0;
        head[4] = 1;
        head[5] = 8;
        head[6 + 8] = 20;
        var versionNegotiation = new MasquePcap.Datagram(4433, 40000, 50, new byte[] {(byte) 0x80, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0}, false);
        var fromClient = new MasquePcap.Datagram(40000, 4433, 1200, head.clone(), false);
        head[5] = 16;
        var fromProxy = new MasquePcap.Datagram(4433, 40000, 1200, java.util.Arrays.copyOf(head, 7 + 16 + 20), false);
        fromProxy.head()[6 + 16] = 20;

        var ids = MasqueOverhead.connectionIds(List.of(fromClient, versionNegotiation, fromProxy), d -> d.sourcePort() == 4433).orElseThrow();

        assertThat(ids.toProxy()).isEqualTo(20);
        assertThat(ids.toClient()).isEqualTo(16);
        assertThat(MasqueOverhead.connectionIds(List.of(fromClient), d -> d.sourcePort() == 4433)).isEmpty();
    }

    @Test
    void breakdownLeavesThePacketNumberAsTheRemainder() {
        // 1 + 20 + PN + 16 + type 1 + length 2 (102 ≥ 64) + qsid 1 + ctx 1 = 42 + PN
        var q = MasqueOverhead.QuicBreakdown.of(45, 20, 100, 0, 0);
        assertThat(q.packetNumber()).isEqualTo(3);
        assertThat(q.frameLength()).isEqualTo(2);
        assertThat(q.total()).isEqualTo(45);
        assertThat(q.consistent()).isTrue();

        var small = MasqueOverhead.QuicBreakdown.of(42, 20, 10, 0, 0); // length 12 < 64: one byte
        assertThat(small.frameLength()).isEqualTo(1);
        assertThat(small.packetNumber()).isEqualTo(1);
        assertThat(MasqueOverhead.QuicBreakdown.of(60, 20, 100, 0, 0).consistent()).isFalse();
        assertThat(MasqueOverhead.QuicBreakdown.of(47, 20, 100, 64, 0).quarterStreamId()).isEqualTo(2);
    }

    @Test
    void varintLengthsFollowRfc9000Section16() {
        assertThat(MasqueOverhead.varintLength(63)).isEqualTo(1);
        assertThat(MasqueOverhead.varintLength(64)).isEqualTo(2);
        assertThat(MasqueOverhead.varintLength(16383)).isEqualTo(2);
        assertThat(MasqueOverhead.varintLength(16384)).isEqualTo(4);
        assertThat(MasqueOverhead.varintLength(1L << 30)).isEqualTo(8);
    }
}
