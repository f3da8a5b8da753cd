package net.braid.multipath.reorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Drives a buffer with arrivals displaced by at most {@code displacement} places, some counters
 * lost and some sent twice, against a fake clock that fires every deadline on time, and checks
 * what the receiver relies on.
 */
class ReorderBufferPropertyTest {

    private static final long MS = 1_000_000L;
    private static final int MAX_STEP_MS = 3;

    /** One copy of a packet as it arrives. */
    private record Arrival(int seq, long counter, long key, long at) {
    }

    /** fate 0: lost; 1: arrives twice; otherwise once. */
    private static List<Arrival> arrivals(List<Integer> fate, List<Integer> shift, List<Integer> steps, int displacement) {
        List<long[]> keyed = new ArrayList<>();
        for (int c = 0; c < fate.size(); c++) {
            if (fate.get(c) == 0) {
                continue;
            }
            keyed.add(new long[] {c, c + shift.get(c % shift.size()) % (displacement + 1)});
            if (fate.get(c) == 1) {
                keyed.add(new long[] {c, c + shift.get((c + 1) % shift.size()) % (displacement + 1)});
            }
        }
        keyed.sort(Comparator.comparingLong(k -> k[1])); // stable: equal keys keep counter order
        List<Arrival> out = new ArrayList<>();
        long at = 0;
        for (int i = 0; i < keyed.size(); i++) {
            at += steps.get(i % steps.size()) * MS;
            out.add(new Arrival(i, keyed.get(i)[0], keyed.get(i)[1], at));
        }
        return out;
    }

    /** What came out, checked as it comes. */
    private static final class Checker implements ReorderBufferSink<Arrival> {
        long now;
        long last = -1;
        final Map<Arrival, Long> limit = new IdentityHashMap<>();
        final Set<Arrival> released = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        final Set<Long> counters = new HashSet<>();

        @Override
        public void release(long counter, Arrival packet) {
            assertThat(counter).as("strictly increasing").isGreaterThan(last);
            assertThat(counter).isEqualTo(packet.counter());
            assertThat(released.add(packet)).as("released once").isTrue();
            assertThat(counters.add(counter)).as("counter released once").isTrue();
            assertThat(now).as("no later than its arrival plus its timeout").isLessThanOrEqualTo(limit.get(packet));
            assertThat(now).isGreaterThanOrEqualTo(packet.at());
            last = counter;
        }
    }

    /** Runs the arrivals, firing each deadline at its exact time, then drains; returns the refused copies. */
    private static List<Arrival> run(ReorderBuffer<Arrival> buffer, List<Arrival> arrivals, List<Integer> spreadsMs,
                                     Checker checker) {
        List<Arrival> refused = new ArrayList<>();
        for (int i = 0; i < arrivals.size(); i++) {
            Arrival a = arrivals.get(i);
            fireDeadlines(buffer, a.at(), checker);
            if (!spreadsMs.isEmpty()) {
                buffer.timeout().pathSpreadNanos(spreadsMs.get(i % spreadsMs.size()) * MS, a.at());
            }
            checker.now = a.at();
            checker.limit.put(a, a.at() + buffer.timeout().nanos());
            int heldBefore = buffer.heldPackets();
            if (!buffer.offer(a.counter(), a, 100, a.at(), checker)) {
                refused.add(a);
                assertThat(checker.released).doesNotContain(a);
                assertThat(buffer.heldPackets()).isLessThanOrEqualTo(heldBefore);
            }
        }
        fireDeadlines(buffer, Long.MAX_VALUE - 1, checker);
        assertThat(buffer.heldPackets()).isZero();
        assertThat(buffer.heldBytes()).isZero();
        assertThat(buffer.nextDeadline()).isEqualTo(ReorderBuffer.NO_DEADLINE);
        return refused;
    }

    private static void fireDeadlines(ReorderBuffer<Arrival> buffer, long until, Checker checker) {
        while (buffer.nextDeadline() <= until) {
            long at = buffer.nextDeadline();
            checker.now = at;
            assertThat(buffer.poll(at, checker)).isPositive();
        }
    }

    /**
     * With a timeout longer than any displacement can delay a packet and a ring wider than the
     * whole run, nothing is given up on wrongly: every counter that arrived comes out once, and
     * only the second copies are refused.
     */
    @Property(tries = 300)
    void everyArrivedCounterIsReleasedExactlyOnceInOrderAndInTime(
            @ForAll @Size(max = 300) List<@IntRange(max = 7) Integer> fate,
            @ForAll @Size(min = 1, max = 50) List<@IntRange(max = 100) Integer> shift,
            @ForAll @Size(min = 1, max = 50) List<@IntRange(max = MAX_STEP_MS) Integer> steps,
            @ForAll @IntRange(max = 8) int displacement) {
        // A packet is passed by at most 2 copies of each counter within 2 * displacement + 1 of it.
        long timeout = (4L * displacement + 4) * MAX_STEP_MS * MS + MS;
        var buffer = new ReorderBuffer<Arrival>(512, 1 << 20, ReorderBufferTimeout.fixed(timeout));
        var checker = new Checker();
        List<Arrival> arrivals = arrivals(fate, shift, steps, displacement);

        List<Arrival> refused = run(buffer, arrivals, List.of(), checker);

        Set<Long> arrived = new HashSet<>();
        arrivals.forEach(a -> arrived.add(a.counter()));
        assertThat(checker.counters).isEqualTo(arrived);
        assertThat(refused).hasSize(arrivals.size() - arrived.size());
        assertThat(buffer.droppedLate() + buffer.droppedDuplicate()).isEqualTo(refused.size());
        assertThat(buffer.capped()).isZero();
        long lost = fate.stream().filter(f -> f == 0).count();
        long trailingLost = 0;
        for (int c = fate.size() - 1; c >= 0 && fate.get(c) == 0; c--) {
            trailingLost++;
        }
        assertThat(buffer.skipped()).isEqualTo(lost - trailingLost);
        assertThat(buffer.inOrder() + buffer.waited() + buffer.timedOut()).isEqualTo(arrived.size());
    }

    /**
     * With a small ring, a small byte cap and a timeout that moves under the buffer's feet, gaps
     * get skipped and late packets refused, but what comes out is still in order, once, in time,
     * and every accepted packet comes out.
     */
    @Property(tries = 300)
    void underPressureOutputStaysOrderedUniqueAndTimely(
            @ForAll @Size(max = 300) List<@IntRange(max = 7) Integer> fate,
            @ForAll @Size(min = 1, max = 50) List<@IntRange(max = 100) Integer> shift,
            @ForAll @Size(min = 1, max = 50) List<@IntRange(max = MAX_STEP_MS) Integer> steps,
            @ForAll @IntRange(max = 40) int displacement,
            @ForAll @Size(max = 20) List<@IntRange(max = 12) Integer> spreadsMs,
            @ForAll @IntRange(min = 0, max = 6) int capacityLog2,
            @ForAll @IntRange(min = 1, max = 20) int maxPackets) {
        var buffer = new ReorderBuffer<Arrival>(1 << capacityLog2, 100L * maxPackets, new ReorderBufferTimeout(MS, 500 * MS));
        var checker = new Checker();
        List<Arrival> arrivals = arrivals(fate, shift, steps, displacement);

        List<Arrival> refused = run(buffer, arrivals, spreadsMs, checker);

        assertThat(checker.released.size() + refused.size()).isEqualTo(arrivals.size());
        assertThat(buffer.inOrder() + buffer.waited() + buffer.timedOut() + buffer.capped())
                .isEqualTo(checker.released.size());
        assertThat(buffer.droppedLate() + buffer.droppedDuplicate()).isEqualTo(refused.size());
    }
}
