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
