package net.braid.multipath;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Seed 003 §3.2.3: +1 per ACK in slow start, halve on loss, +1 per window in congestion avoidance. */
class NewRenoControllerTest {
    private static final long MS = 1_000_000L;
    private static final int MSS = 1000;
    private final RttEstimator rtt = new RttEstimator();
    private final NewRenoController cc = new NewRenoController(MSS, rtt);
    private final SentPacketLedger ledger = new SentPacketLedger(1024);
    private final RateSample s = new RateSample();
    private int next;

    private void sendAndAckWindow(long sentAt, long ackedAt) {
        long n = cc.windowPackets();
        int first = next;
        for (int i = 0; i < n; i++) ledger.onSent(next++, MSS, sentAt);
        for (int i = first; i < next; i++) {
            ledger.onAcked(i, ackedAt, s);
            cc.onAck(ackedAt, s, ledger.bytesInFlight());
        }
    }

    @Test
    void slowStartDoublesPerRoundTrip() {
        assertThat(cc.windowPackets()).isEqualTo(10);
        sendAndAckWindow(0, 50 * MS);
        assertThat(cc.windowPackets()).isEqualTo(20);
        sendAndAckWindow(50 * MS, 100 * MS);
        assertThat(cc.windowPackets()).isEqualTo(40);
        assertThat(cc.congestionWindow()).isEqualTo(40 * MSS);
        assertThat(cc.inSlowStart()).isTrue();
    }

    @Test
    void lossHalvesOnceAndCongestionAvoidanceAddsOnePacketPerWindow() {
        sendAndAckWindow(0, 50 * MS);
        sendAndAckWindow(50 * MS, 100 * MS); // 40
        cc.onLoss(110 * MS, MSS, 100 * MS, 0);
        assertThat(cc.windowPackets()).isEqualTo(20);
        assertThat(cc.inSlowStart()).isFalse();
        // More NACKs from the same flight: no second halving.
        cc.onLoss(111 * MS, MSS, 101 * MS, 0);
        cc.onLoss(112 * MS, MSS, 105 * MS, 0);
        assertThat(cc.windowPackets()).isEqualTo(20);
        // ACKs of packets sent before the reduction do not grow the window.
        ledger.onSent(next++, MSS, 100 * MS);
        ledger.onAcked(next - 1, 115 * MS, s);
        cc.onAck(115 * MS, s, 0);
        assertThat(cc.windowPackets()).isEqualTo(20);
        sendAndAckWindow(120 * MS, 170 * MS);
        assertThat(cc.windowPackets()).isEqualTo(21);
        sendAndAckWindow(170 * MS, 220 * MS);
        assertThat(cc.windowPackets()).isEqualTo(22);
        // A loss of a packet sent after the reduction halves again.
        cc.onLoss(230 * MS, MSS, 200 * MS, 0);
        assertThat(cc.windowPackets()).isEqualTo(11);
    }

    @Test
    void windowNeverFallsBelowTwoPackets() {
        for (int i = 1; i <= 10; i++) cc.onLoss(i * 100 * MS, MSS, i * 100 * MS - 1, 0);
        assertThat(cc.windowPackets()).isEqualTo(NewRenoController.MIN_WINDOW_PACKETS);
    }

    @Test
    void pacesAtFiveQuartersOfTheWindowPerRtt() {
        rtt.onSample(100 * MS, 0, 0);
        assertThat(cc.pacingRate()).isEqualTo((long) (1.25 * 10 * MSS / 0.1));
    }
}
