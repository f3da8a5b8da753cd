package net.braid.multipath.reorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import net.braid.testing.SteadyAllocation;
import org.junit.jupiter.api.Test;

class ReorderBufferTest {

    private static final long MS = 1_000_000L;
    private static final long T = 20 * MS;

    /** Remembers what came out and when, against a clock the test moves. */
    private static final class Recorder implements ReorderBufferSink<String> {
        long now;
        final List<Long> counters = new ArrayList<>();
        final List<Long> times = new ArrayList<>();
        final List<String> packets = new ArrayList<>();

        @Override
        public void release(long counter, String packet) {
            counters.add(counter);
            times.add(now);
            packets.add(packet);
        }
    }

    private final Recorder out = new Recorder();

    private static ReorderBuffer<String> buffer(int capacity, long maxBytes) {
        return new ReorderBuffer<>(capacity, maxBytes, ReorderBufferTimeout.fixed(T));
    }

    private boolean offer(ReorderBuffer<String> b, long counter, long at) {
        out.now = at;
        return b.offer(counter, "p" + counter, 1000, at, out);
    }

    private int poll(ReorderBuffer<String> b, long at) {
        out.now = at;
        return b.poll(at, out);
    }

    @Test
    void inOrderPacketsPassStraightThrough() {
        var b = buffer(64, 1 << 20);
        for (long c = 0; c < 100; c++) {
            assertThat(offer(b, c, c * MS)).isTrue();
            assertThat(out.counters).hasSize((int) c + 1);
            assertThat(b.nextDeadline()).isEqualTo(ReorderBuffer.NO_DEADLINE);
        }
        assertThat(out.packets).startsWith("p0", "p1", "p2");
        assertThat(out.times).isEqualTo(out.counters.stream().map(c -> c * MS).toList());
        assertThat(b.inOrder()).isEqualTo(100);
        assertThat(b.waited() + b.timedOut() + b.capped() + b.skipped()).isZero();
        assertThat(b.heldPackets()).isZero();
        assertThat(b.nextExpected()).isEqualTo(100);
    }

    @Test
    void aSwappedPairWaitsForTheGapToFill() {
        var b = buffer(64, 1 << 20);
        offer(b, 0, 0);
        offer(b, 2, 1 * MS);
        assertThat(out.counters).containsExactly(0L);
        assertThat(b.nextDeadline()).isEqualTo(1 * MS + T);
        assertThat(b.heldPackets()).isEqualTo(1);
        assertThat(b.heldBytes()).isEqualTo(1000);
        offer(b, 1, 3 * MS);
        assertThat(out.counters).containsExactly(0L, 1L, 2L);
        assertThat(out.times).containsExactly(0L, 3 * MS, 3 * MS);
        assertThat(b.inOrder()).isEqualTo(2);
        assertThat(b.waited()).isEqualTo(1);
        assertThat(b.nextDeadline()).isEqualTo(ReorderBuffer.NO_DEADLINE);
        assertThat(b.heldBytes()).isZero();
    }

    @Test
    void aGapThatNeverFillsIsSkippedExactlyAtTheTimeoutAndItsLatePacketRefused() {
        var b = buffer(64, 1 << 20);
        offer(b, 0, 0);
        offer(b, 2, 10 * MS);
        offer(b, 3, 12 * MS);
        assertThat(b.nextDeadline()).isEqualTo(10 * MS + T);
        assertThat(poll(b, 10 * MS + T - 1)).isZero();
        assertThat(out.counters).containsExactly(0L);
        assertThat(poll(b, 10 * MS + T)).isEqualTo(2);
        assertThat(out.counters).containsExactly(0L, 2L, 3L);
        assertThat(out.times).containsExactly(0L, 10 * MS + T, 10 * MS + T);
        assertThat(b.timedOut()).isEqualTo(2);
        assertThat(b.skipped()).isEqualTo(1);
        assertThat(b.nextDeadline()).isEqualTo(ReorderBuffer.NO_DEADLINE);

        assertThat(offer(b, 1, 40 * MS)).isFalse();
        assertThat(b.droppedLate()).isEqualTo(1);
        assertThat(offer(b, 4, 41 * MS)).isTrue();
        assertThat(out.counters).containsExactly(0L, 2L, 3L, 4L);
    }

    @Test
    void eachPacketKeepsItsOwnDeadlineBehindOneGap() {
        var b = buffer(64, 1 << 20);
        offer(b, 2, 0);          // waits for 0 and 1
        offer(b, 0, 5 * MS);     // releases 0; 1 still missing
        offer(b, 4, 15 * MS);    // waits for 1 and 3
        poll(b, T);
        assertThat(out.counters).containsExactly(0L, 2L);
        assertThat(out.times).containsExactly(5 * MS, T);
        assertThat(b.nextDeadline()).isEqualTo(15 * MS + T);
        poll(b, 15 * MS + T);
        assertThat(out.counters).containsExactly(0L, 2L, 4L);
        assertThat(b.skipped()).isEqualTo(2);
    }

    @Test
    void offerReleasesWhatIsDueBeforeTakingTheNewPacket() {
        var b = buffer(64, 1 << 20);
        offer(b, 1, 0);
        offer(b, 3, 30 * MS); // the caller's timer was late: 1 goes out first
        assertThat(out.counters).containsExactly(1L);
        assertThat(b.nextExpected()).isEqualTo(2);
        assertThat(b.heldPackets()).isEqualTo(1);
    }

    @Test
    void aShrinkingTimeoutNeverHoldsAPacketPastTheDeadlineItWasGiven() {
        var timeout = new ReorderBufferTimeout(MS, 500 * MS, 0);
        var b = new ReorderBuffer<String>(64, 1 << 20, timeout);
        timeout.pathSpreadNanos(100 * MS, 0);
        offer(b, 2, 0);
        timeout.pathSpreadNanos(10 * MS, 1 * MS);
        offer(b, 5, 1 * MS);
        // The later, shorter deadline also covers 2, which goes out sooner than it had to.
        assertThat(b.nextDeadline()).isEqualTo(11 * MS);
        poll(b, 11 * MS);
        assertThat(out.counters).containsExactly(2L, 5L);
        assertThat(b.nextDeadline()).isEqualTo(ReorderBuffer.NO_DEADLINE);
    }

    @Test
    void aGrowingTimeoutKeepsTheEarlierDeadlineFirst() {
        var timeout = new ReorderBufferTimeout(MS, 500 * MS);
        var b = new ReorderBuffer<String>(64, 1 << 20, timeout);
        timeout.pathSpreadNanos(10 * MS, 0);
        offer(b, 2, 0);
        timeout.pathSpreadNanos(100 * MS, 1 * MS);
        offer(b, 5, 1 * MS);
        assertThat(b.nextDeadline()).isEqualTo(10 * MS);
        poll(b, 10 * MS);
        assertThat(out.counters).containsExactly(2L);
        assertThat(b.nextDeadline()).isEqualTo(101 * MS);
        offer(b, 3, 50 * MS);
        offer(b, 4, 60 * MS);
        assertThat(out.counters).containsExactly(2L, 3L, 4L, 5L);
        assertThat(b.waited()).isEqualTo(1);
        assertThat(b.nextDeadline()).isEqualTo(ReorderBuffer.NO_DEADLINE);
    }

    @Test
    void duplicatesOfHeldPacketsAreRefused() {
        var b = buffer(64, 1 << 20);
        assertThat(offer(b, 3, 0)).isTrue();
        assertThat(offer(b, 3, 1)).isFalse();
        assertThat(b.droppedDuplicate()).isEqualTo(1);
        assertThat(b.heldPackets()).isEqualTo(1);
    }

    @Test
    void aBurstBeyondTheRingForcesTheOldestOut() {
        var b = buffer(8, 1 << 20);
        // Only the even counters 2..40 arrive, all at once: the ring spans 8 counters.
        for (long c = 2; c <= 40; c += 2) {
            offer(b, c, 0);
            assertThat(b.heldPackets()).isLessThanOrEqualTo(8);
            assertThat(b.nextExpected()).isGreaterThan(c - 8);
        }
        assertThat(out.counters).isEqualTo(LongStream.rangeClosed(1, 16).map(i -> 2 * i).boxed().toList());
        assertThat(b.capped()).isEqualTo(16);
        assertThat(b.skipped()).isEqualTo(17); // 0 and the odd 1..31
        assertThat(b.heldPackets()).isEqualTo(4);
        assertThat(b.nextExpected()).isEqualTo(33);
        assertThat(b.nextDeadline()).isEqualTo(T);
    }

    @Test
    void aCounterFarAheadReleasesEverythingAndSkipsTheRest() {
        var b = buffer(8, 1 << 20);
        offer(b, 2, 0);
        offer(b, 5, 0);
        offer(b, 1_000_000, 1);
        assertThat(out.counters).containsExactly(2L, 5L);
        assertThat(b.capped()).isEqualTo(2);
        assertThat(b.nextExpected()).isEqualTo(1_000_000 - 7);
        assertThat(b.skipped()).isEqualTo(1_000_000 - 7 - 2);
        assertThat(b.heldPackets()).isEqualTo(1);
        assertThat(b.nextDeadline()).isEqualTo(1 + T);
    }

    @Test
    void theByteCapForcesTheOldestOut() {
        var b = buffer(64, 2500);
        offer(b, 2, 0);
        offer(b, 4, 0);
        assertThat(out.counters).isEmpty();
        offer(b, 6, 0); // 3000 bytes held > 2500
        assertThat(out.counters).containsExactly(2L);
        assertThat(b.capped()).isEqualTo(1);
        assertThat(b.skipped()).isEqualTo(2);
        assertThat(b.heldBytes()).isEqualTo(2000);
        assertThat(b.nextExpected()).isEqualTo(3);
        assertThat(b.nextDeadline()).isEqualTo(T);
    }

    @Test
    void ringIndicesWrapWithLargeCounters() {
        var b = buffer(8, 1 << 20);
        long start = (1L << 62) - 5; // slots wrap around the ring many times over below this
        b.reset(start, out);
        long[] arrivals = {start + 1, start + 3, start + 2, start, start + 6, start + 7, start + 4, start + 9, start + 10};
        for (int i = 0; i < arrivals.length; i++) {
            offer(b, arrivals[i], i * MS);
        }
        // start+5 and start+8 are lost; the deadline of start+6 (arrived at 4 ms) gives up on start+5.
        assertThat(out.counters).containsExactly(start, start + 1, start + 2, start + 3, start + 4);
        poll(b, 4 * MS + T);
        poll(b, 7 * MS + T);
        assertThat(out.counters).containsExactly(start, start + 1, start + 2, start + 3, start + 4,
                start + 6, start + 7, start + 9, start + 10);
        assertThat(b.skipped()).isEqualTo(2);
        assertThat(b.heldPackets()).isZero();
    }

    @Test
    void flushReleasesEverythingHeldInOrderAndResetStartsANewSession() {
        var b = buffer(16, 1 << 20);
        offer(b, 9, 0);
        offer(b, 3, 0);
        offer(b, 5, 0);
        b.reset(0, out);
        assertThat(out.counters).containsExactly(3L, 5L, 9L);
        assertThat(b.heldPackets()).isZero();
        assertThat(b.nextDeadline()).isEqualTo(ReorderBuffer.NO_DEADLINE);
        assertThat(offer(b, 0, 1)).isTrue();
        assertThat(out.counters).endsWith(0L);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> buffer(12, 100)).hasMessage("capacity must be a power of two; given 12");
        assertThatThrownBy(() -> buffer(8, 0)).hasMessage("maxBytes must be positive; given 0");
        var b = buffer(8, 100);
        assertThatThrownBy(() -> b.offer(-1, "x", 1, 0, out)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void offerAndPollAllocateNothing() {
        var b = new ReorderBuffer<Object>(1024, 1 << 24, ReorderBufferTimeout.fixed(T));
        Object packet = new Object();
        long[] released = {0};
        ReorderBufferSink<Object> sink = (c, p) -> released[0]++;
        long[] clock = {0, 0}; // counter, now
        SteadyAllocation.assertAllocatesNothing("packets", 200_000, () -> {
            for (int i = 0; i < 100_000; i++) {
                // Swap each pair and lose one counter in 100: waits, timeouts and in-order releases.
                clock[1] += 100_000;
                if (i % 100 == 0) {
                    clock[0]++;
                }
                b.offer(clock[0] + 1, packet, 1400, clock[1], sink);
                b.offer(clock[0], packet, 1400, clock[1], sink);
                clock[0] += 2;
                b.poll(clock[1], sink);
            }
        });
        assertThat(released[0]).isGreaterThan(0);
        assertThat(b.timedOut()).isGreaterThan(0);
    }
}
