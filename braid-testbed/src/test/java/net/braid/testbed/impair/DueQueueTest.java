package net.braid.testbed.impair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class DueQueueTest {

    @Property
    void removesByDueTimeThenArrival(@ForAll @Size(max = 200) List<@IntRange(min = 0, max = 20) Integer> dues) {
        DueQueue queue = new DueQueue(200);
        record Entry(long due, int slot) {}
        List<Entry> expected = new ArrayList<>();
        long base = Long.MAX_VALUE - 10; // near the wrap of nanoTime: compared by difference
        for (int i = 0; i < dues.size(); i++) {
            queue.add(base + dues.get(i), i, i);
            expected.add(new Entry(base + dues.get(i), i));
        }
        expected.sort(Comparator.comparingLong((Entry e) -> e.due() - base).thenComparingInt(Entry::slot));
        for (Entry e : expected) {
            assertThat(queue.firstDue()).isEqualTo(e.due());
            assertThat(queue.removeFirst()).isEqualTo(e.slot());
        }
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void refusesBeyondCapacity() {
        DueQueue queue = new DueQueue(1);
        queue.add(1, 0, 0);
        assertThatThrownBy(() -> queue.add(2, 1, 1)).isInstanceOf(IllegalStateException.class);
        queue.removeFirst();
        assertThatThrownBy(queue::removeFirst).isInstanceOf(IllegalStateException.class);
    }
}
