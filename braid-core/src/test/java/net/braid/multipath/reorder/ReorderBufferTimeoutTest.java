package net.braid.multipath.reorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReorderBufferTimeoutTest {

    private static final long MS = 1_000_000L;

    @Test
    void startsAtTheMinimumAndFollowsThePathSpreadWithinTheClamp() {
        var t = new ReorderBufferTimeout(MS, 500 * MS, 0);
        assertThat(t.nanos()).isEqualTo(MS);
        t.pathSpreadNanos(30 * MS, 0);
        assertThat(t.nanos()).isEqualTo(30 * MS);
        t.pathSpreadNanos(2_000 * MS, 1);
        assertThat(t.nanos()).isEqualTo(500 * MS);
        t.pathSpreadNanos(-5, 2);
        assertThat(t.nanos()).isEqualTo(MS);
    }

    @Test
    void remembersTheLargestSpreadOfTheWindowAndForgetsItAfter() {
        var t = new ReorderBufferTimeout(); // window 1 s
        t.pathSpreadNanos(20 * MS, 0);
        // the estimate dips between two bursts of the slow path: the timeout stays
        for (long at = 10 * MS; at <= 900 * MS; at += 10 * MS) {
            t.pathSpreadNanos(at % (100 * MS) == 0 ? 15 * MS : 2 * MS, at);
            assertThat(t.nanos()).as("at %d ms", at / MS).isEqualTo(20 * MS);
        }
        // 1 s after the 20 ms estimate only the later ones count, the largest of them first
        t.pathSpreadNanos(2 * MS, 1_050 * MS);
        assertThat(t.nanos()).isEqualTo(15 * MS);
        for (long at = 1_100 * MS; at <= 2_200 * MS; at += 10 * MS) t.pathSpreadNanos(2 * MS, at);
        assertThat(t.nanos()).isEqualTo(2 * MS);
        // a larger estimate leads at once
        t.pathSpreadNanos(40 * MS, 2_210 * MS);
        assertThat(t.nanos()).isEqualTo(40 * MS);
    }

    @Test
    void withoutAWindowEachEstimateReplacesTheLast() {
        var t = new ReorderBufferTimeout(MS, 500 * MS, 0);
        t.pathSpreadNanos(20 * MS, 0);
        t.pathSpreadNanos(2 * MS, 10 * MS);
        assertThat(t.nanos()).isEqualTo(2 * MS);
    }

    @Test
    void withoutAWindowLearnsSmoothedWaitsOfGapsThatFilled() {
        var t = new ReorderBufferTimeout(MS, 500 * MS, 0);
        t.pathSpreadNanos(5 * MS, 0);
        t.gapFilled(10 * MS, 0); // first sample: wait 10, deviation 5 → 10 + 4 * 5
        assertThat(t.nanos()).isEqualTo(30 * MS);
        for (int i = 0; i < 200; i++) {
            t.gapFilled(10 * MS, 0);
        }
        // Steady waits: the deviation decays and the timeout settles at the wait itself.
        assertThat(t.nanos()).isBetween(10 * MS, 11 * MS);
        for (int i = 0; i < 200; i++) {
            t.gapFilled(0, 0);
        }
        assertThat(t.nanos()).isEqualTo(5 * MS); // the spread is the floor
    }

    @Test
    void withoutAWindowALateArrivalGrowsTheSmoothedTimeout() {
        var t = new ReorderBufferTimeout(MS, 500 * MS, 0);
        t.pathSpreadNanos(4 * MS, 0);
        t.arrivedLate(6 * MS, 0); // it needed about 4 + 6
        assertThat(t.nanos()).isEqualTo(10 * MS + 4 * 5 * MS);
    }

    @Test
    void aLateArrivalRaisesTheTimeoutToWhatItNeededForTheWindow() {
        var t = new ReorderBufferTimeout(); // window 1 s
        t.pathSpreadNanos(2 * MS, 0);
        // many gaps fill at once; smoothed, they held the timeout near zero; as a maximum they do not matter
        for (long at = 0; at < 100 * MS; at += MS) t.gapFilled(100_000, at);
        assertThat(t.nanos()).isEqualTo(2 * MS);
        t.arrivedLate(6 * MS, 100 * MS); // it needed 2 + 6
        assertThat(t.nanos()).isEqualTo(8 * MS);
        for (long at = 101 * MS; at < 1_000 * MS; at += MS) {
            t.gapFilled(100_000, at);
            t.pathSpreadNanos(2 * MS, at);
        }
        assertThat(t.nanos()).as("still within the window").isEqualTo(8 * MS);
        t.gapFilled(12 * MS, 1_000 * MS); // a gap that needed longer raises it too
        assertThat(t.nanos()).isEqualTo(12 * MS);
        for (long at = 1_001 * MS; at <= 2_200 * MS; at += MS) {
            t.gapFilled(100_000, at);
            t.pathSpreadNanos(2 * MS, at);
        }
        assertThat(t.nanos()).as("forgotten a window later").isEqualTo(2 * MS);
    }

    @Test
    void aFixedTimeoutNeverMoves() {
        var t = ReorderBufferTimeout.fixed(7 * MS);
        t.pathSpreadNanos(100 * MS, 0);
        t.gapFilled(300 * MS, 0);
        t.arrivedLate(MS, 0);
        assertThat(t.nanos()).isEqualTo(7 * MS);
    }

    @Test
    void refusesAnEmptyRange() {
        assertThatThrownBy(() -> new ReorderBufferTimeout(0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReorderBufferTimeout(5, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReorderBufferTimeout(1, 4, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
