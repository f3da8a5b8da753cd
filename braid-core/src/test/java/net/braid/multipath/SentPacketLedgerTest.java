package net.braid.multipath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SentPacketLedgerTest {
    private static final long MS = 1_000_000L;

    @Test
    void countsBytesInFlightAndForgetsAckedAndLost() {
        SentPacketLedger l = new SentPacketLedger(16);
        l.onSent(1, 1000, 0);
        l.onSent(2, 500, 0);
        l.onSent(4, 700, 0); // 3 was a control message
        assertThat(l.bytesInFlight()).isEqualTo(2200);
        RateSample s = new RateSample();
        assertThat(l.onAcked(2, 10 * MS, s)).isTrue();
        assertThat(s.bytes()).isEqualTo(500);
        assertThat(s.rttNanos()).isEqualTo(10 * MS);
        assertThat(l.onAcked(2, 11 * MS, s)).isFalse();
        assertThat(l.onAcked(3, 11 * MS, s)).isFalse();
        assertThat(l.onLost(1)).isEqualTo(1000);
        assertThat(l.onLost(1)).isEqualTo(-1);
        assertThat(l.oldest()).isEqualTo(4);
        assertThat(l.bytesInFlight()).isEqualTo(700);
        assertThat(l.delivered()).isEqualTo(500);
    }

    @Test
    void aPacketACapacityBelowTheNewestIsForgottenEvenAcrossControlHoles() {
        // Control messages take path sequences but never enter the ledger. On a path that carries
        // feedback, thousands of them can pass while one data packet waits for its ack: the ring
        // must forget that packet when it falls a capacity behind, not step over it still counted.
        SentPacketLedger l = new SentPacketLedger(16);
        l.onSent(0, 100, 0);
        l.onSent(5, 200, MS);
        int evicted = l.onSent(40, 300, 2 * MS); // 1–4, 6–39 were control messages
        assertThat(evicted).as("bytes forgotten: sequences 0 and 5 are more than 16 below 40").isEqualTo(300);
        assertThat(l.packetsInFlight()).isEqualTo(1);
        assertThat(l.bytesInFlight()).isEqualTo(300);
        assertThat(l.oldest()).isEqualTo(40);
        assertThat(l.onLost(40)).isEqualTo(300);
        assertThat(l.packetsInFlight()).isZero();
    }

    @Test
    void packetsInFlightAreAlwaysTheOnesBetweenOldestAndHighest() {
        SentPacketLedger l = new SentPacketLedger(16);
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        RateSample s = new RateSample();
        int next = 0;
        for (int step = 0; step < 20_000; step++) {
            next += 1 + (random.nextInt(4) == 0 ? random.nextInt(40) : 0); // holes of control messages
            l.onSent(next, 100, step * MS);
            int target = next - random.nextInt(24);
            if (random.nextBoolean()) l.onAcked(target, step * MS, s);
            else l.onLost(target);
            int counted = 0;
            int oldest = l.oldest();
            for (int q = oldest; q - l.highestSent() <= 0; q++) if (l.isInFlight(q)) counted++;
            assertThat(counted).as("in flight between oldest %d and highest %d at step %d", oldest, l.highestSent(), step)
                    .isEqualTo(l.packetsInFlight());
        }
    }

    @Test
    void deliveryRateOfAPacedFlow() {
        // 1000-byte packets every ms (1 MB/s), each acked 50 ms after it left.
        SentPacketLedger l = new SentPacketLedger(256);
        RateSample s = new RateSample();
        for (int i = 0; i < 200; i++) {
            long now = i * MS;
            l.onSent(i, 1000, now);
            if (i >= 50) {
                assertThat(l.onAcked(i - 50, now, s)).isTrue();
            }
        }
        assertThat(s.appLimited()).isFalse();
        assertThat(s.deliveryRate()).isBetween(990_000L, 1_010_000L);
        assertThat(s.priorDelivered()).isEqualTo((149 - 50) * 1000L);
    }

    @Test
    void appLimitedMarksSamplesUntilThePacketsInFlightAreDelivered() {
        SentPacketLedger l = new SentPacketLedger(16);
        RateSample s = new RateSample();
        l.onSent(0, 100, 0);
        l.markAppLimited();
        l.onSent(1, 100, MS);
        l.onAcked(0, 10 * MS, s);
        assertThat(s.appLimited()).isFalse();
        l.onAcked(1, 11 * MS, s);
        assertThat(s.appLimited()).isTrue();
        l.onSent(2, 100, 12 * MS);
        l.onAcked(2, 22 * MS, s);
        assertThat(s.appLimited()).isFalse();
    }

    @Test
    void ringEvictsThePacketOneCapacityAgo() {
        SentPacketLedger l = new SentPacketLedger(4);
        for (int i = 0; i < 4; i++) assertThat(l.onSent(i, 10, 0)).isZero();
        assertThat(l.onSent(4, 10, 0)).isEqualTo(10);
        assertThat(l.isInFlight(0)).isFalse();
        assertThat(l.packetsInFlight()).isEqualTo(4);
        assertThatThrownBy(() -> l.onSent(4, 10, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sequencesWrap() {
        SentPacketLedger l = new SentPacketLedger(8);
        l.onSent(-1, 10, 0);
        l.onSent(0, 10, 0);
        assertThat(l.oldest()).isEqualTo(-1);
        assertThat(l.onAcked(-1, 1, new RateSample())).isTrue();
        assertThat(l.oldest()).isZero();
    }
}
