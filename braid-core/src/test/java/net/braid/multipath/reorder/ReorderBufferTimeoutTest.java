package net.braid.multipath.reorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReorderBufferTimeoutTest {

    private static final long MS = 1_000_000L;

    @Test
    void startsAtTheMinimumAndFollowsThePathSpreadWithinTheClamp() {
        var t = new ReorderBufferTimeout();
        assertThat(t.nanos()).isEqualTo(MS);
        t.pathSpreadNanos(30 * MS);
        assertThat(t.nanos()).isEqualTo(30 * MS);
        t.pathSpreadNanos(2_000 * MS);
        assertThat(t.nanos()).isEqualTo(500 * MS);
        t.pathSpreadNanos(-5);
        assertThat(t.nanos()).isEqualTo(MS);
    }

    @Test
    void learnsFromGapsThatFilledWhenTheyTakeLongerThanTheSpread() {
        var t = new ReorderBufferTimeout();
        t.pathSpreadNanos(5 * MS);
        t.gapFilled(10 * MS); // first sample: wait 10, deviation 5 → 10 + 4 * 5
        assertThat(t.nanos()).isEqualTo(30 * MS);
        for (int i = 0; i < 200; i++) {
            t.gapFilled(10 * MS);
        }
        // Steady waits: the deviation decays and the timeout settles at the wait itself.
        assertThat(t.nanos()).isBetween(10 * MS, 11 * MS);
        for (int i = 0; i < 200; i++) {
            t.gapFilled(0);
        }
        assertThat(t.nanos()).isEqualTo(5 * MS); // the spread is the floor
    }

    @Test
    void aLateArrivalGrowsTheTimeoutBeyondWhatItWas() {
        var t = new ReorderBufferTimeout();
        t.pathSpreadNanos(4 * MS);
        t.arrivedLate(6 * MS); // it needed about 4 + 6
        assertThat(t.nanos()).isEqualTo(10 * MS + 4 * 5 * MS);
    }

    @Test
    void aFixedTimeoutNeverMoves() {
        var t = ReorderBufferTimeout.fixed(7 * MS);
        t.pathSpreadNanos(100 * MS);
        t.gapFilled(300 * MS);
        t.arrivedLate(MS);
        assertThat(t.nanos()).isEqualTo(7 * MS);
    }

    @Test
    void refusesAnEmptyRange() {
        assertThatThrownBy(() -> new ReorderBufferTimeout(0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReorderBufferTimeout(5, 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
