package net.braid.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {

    @Test
    void acceptsEachCounterOnce() {
        ReplayWindow w = new ReplayWindow();
        assertThat(w.accept(0)).isTrue();
        assertThat(w.accept(0)).isFalse();
        assertThat(w.accept(5)).isTrue();
        assertThat(w.accept(3)).isTrue();
        assertThat(w.accept(3)).isFalse();
        assertThat(w.accept(5)).isFalse();
    }

    @Test
    void rejectsCountersOlderThanTheWindow() {
        ReplayWindow w = new ReplayWindow();
        assertThat(w.accept(100_000)).isTrue();
        assertThat(w.accept(100_000 - ReplayWindow.WINDOW)).isFalse();
        assertThat(w.accept(100_000 - ReplayWindow.WINDOW + 1)).isTrue();
    }

    @Test
    void largeJumpClearsOldBits() {
        ReplayWindow w = new ReplayWindow();
        for (int i = 0; i < 200; i++) assertThat(w.accept(i)).isTrue();
        long far = 1L << 40;
        assertThat(w.accept(far)).isTrue();
        // Bits of the old counters must not survive in the ring for the new block numbers.
        for (long c = far - 150; c < far; c++) assertThat(w.accept(c)).as("counter %d", c).isTrue();
    }

    @Test
    void twoReceiversTogetherAcceptEachCounterExactlyOnce() throws Exception {
        ReplayWindow w = new ReplayWindow();
        int n = 1_000_000;
        java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        Runnable receiver = () -> {
            for (long c = 0; c < n; c++) if (w.accept(c)) accepted.incrementAndGet();
        };
        Thread a = Thread.ofPlatform().start(receiver);
        Thread b = Thread.ofPlatform().start(receiver);
        a.join();
        b.join();
        // Both saw every counter (as two paths carrying copies would); each may pass only once.
        // Counters that fell out of the window while the other thread ran ahead are refused.
        assertThat(accepted.get()).isLessThanOrEqualTo(n).isGreaterThan(n / 2);
        for (long c = n - 100; c < n; c++) assertThat(w.accept(c)).isFalse();
    }

    /** The window agrees with a model: a set of seen counters and the highest one. */
    @Property(tries = 300)
    void behavesLikeTheModel(@ForAll @Size(max = 400) List<@LongRange(min = 0, max = 20_000) Long> counters) {
        ReplayWindow w = new ReplayWindow();
        Set<Long> seen = new HashSet<>();
        long highest = -1;
        for (long c : counters) {
            boolean expected = !seen.contains(c) && (c > highest || highest - c < ReplayWindow.WINDOW);
            assertThat(w.wouldAccept(c)).isEqualTo(expected);
            assertThat(w.accept(c)).as("counter %d after highest %d", c, highest).isEqualTo(expected);
            if (expected) {
                seen.add(c);
                highest = Math.max(highest, c);
            }
        }
    }
}
