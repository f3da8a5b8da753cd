package net.braid.multipath;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.braid.multipath.FeedbackTracker.Arrival;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class FeedbackTrackerTest {
    private static final long MS = 1_000_000L;
    private final FeedbackTracker t = new FeedbackTracker(7, FeedbackPolicy.DEFAULT);
    private final FeedbackBlock b = new FeedbackBlock();

    private PathFeedback write(long now) {
        assertThat(t.writeFeedback(now, b)).isTrue();
        return b.toRecord();
    }

    @Test
    void nothingOwedBeforeAnyPacket() {
        assertThat(t.writeFeedback(0, b)).isFalse();
        assertThat(t.nextFeedbackAt()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aFullBlockStillJudgesEveryGapSoFeedbackIsNotDueAgainAtOnce() {
        // Every other sequence lost: 100 gaps make more ranges than one block holds (32 + 32).
        for (int s = 0; s <= 200; s += 2) t.onPacket(s, 0, true);
        write(60 * MS); // past the 50 ms threshold: every gap is now a loss
        // Nothing is owed: no unreported arrival, no gap still being judged. A block that filled
        // up used to leave its gap count and oldest gap as they were, so feedback stayed due on
        // every round and a receiving portal sent control messages as fast as it could loop.
        assertThat(t.nextFeedbackAt()).isEqualTo(Long.MAX_VALUE);
        assertThat(t.feedbackDue(61 * MS)).isFalse();
        // The older losses follow in later blocks, newest first.
        PathFeedback later = write(70 * MS);
        assertThat(later.nacked()).isNotEmpty();
    }

    @Test
    void feedbackEveryTwoPacketsOrAfterTheAckDelay() {
        t.onPacket(0, 0, true);
        assertThat(t.feedbackDue(24 * MS)).isFalse();
        assertThat(t.feedbackDue(25 * MS)).isTrue();
        t.onPacket(1, 3 * MS, true);
        assertThat(t.feedbackDue(3 * MS)).isTrue();
        PathFeedback f = write(4 * MS);
        assertThat(f.pathId()).isEqualTo(7);
        assertThat(f.largest()).isEqualTo(1);
        assertThat(f.holdMicros()).isEqualTo(1000);
        assertThat(f.acked()).containsExactly(new SeqRange(0, 1));
        assertThat(f.nacked()).isEmpty();
        assertThat(t.nextFeedbackAt()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void ackDelayShrinksToAQuarterRtt() {
        t.setRtt(40 * MS);
        t.onPacket(0, 0, true);
        assertThat(t.nextFeedbackAt()).isEqualTo(10 * MS);
        assertThat(t.reorderThresholdNanos()).isEqualTo(20 * MS);
    }

    @Test
    void controlMessagesDoNotElicitFeedbackButAreNoGap() {
        t.onPacket(0, 0, false);
        t.onPacket(1, 0, false);
        assertThat(t.nextFeedbackAt()).isEqualTo(Long.MAX_VALUE);
        t.onPacket(2, 0, true);
        assertThat(write(MS).acked()).containsExactly(new SeqRange(0, 2));
    }

    @Test
    void reorderedPacketFillsTheGapBeforeTheThreshold() {
        t.onPacket(0, 0, true);
        t.onPacket(1, 0, true);
        t.onPacket(3, MS, true);
        assertThat(t.onPacket(5, MS, true)).isEqualTo(Arrival.NEW);
        PathFeedback f = write(MS);
        assertThat(f.acked()).containsExactly(SeqRange.of(5), SeqRange.of(3), new SeqRange(0, 1));
        assertThat(f.nacked()).isEmpty();
        assertThat(t.onPacket(2, 10 * MS, true)).isEqualTo(Arrival.REORDERED);
        assertThat(write(10 * MS).acked()).containsExactly(SeqRange.of(5), new SeqRange(0, 3));
    }

    @Test
    void gapOlderThanTheThresholdIsNacked() {
        t.setRtt(40 * MS); // threshold 20 ms
        t.onPacket(0, 0, true);
        t.onPacket(4, MS, true);
        write(MS);
        assertThat(t.nextFeedbackAt()).isEqualTo(21 * MS);
        assertThat(t.feedbackDue(20 * MS)).isFalse();
        assertThat(t.feedbackDue(21 * MS)).isTrue();
        PathFeedback f = write(21 * MS);
        assertThat(f.acked()).containsExactly(SeqRange.of(4), SeqRange.of(0));
        assertThat(f.nacked()).containsExactly(new SeqRange(1, 3));
        assertThat(t.onPacket(2, 30 * MS, true)).isEqualTo(Arrival.LATE_AFTER_NACK);
        assertThat(write(30 * MS).nacked()).containsExactly(SeqRange.of(3), SeqRange.of(1));
    }

    @Test
    void duplicatesAndAncientSequencesAreRefusedAndDoNotElicit() {
        t.onPacket(5000, 0, true);
        write(0);
        assertThat(t.onPacket(5000, 0, true)).isEqualTo(Arrival.DUPLICATE);
        assertThat(t.onPacket(5000 - FeedbackTracker.WINDOW, 0, true)).isEqualTo(Arrival.TOO_OLD);
        assertThat(t.nextFeedbackAt()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void wrapsAroundTheThirtyTwoBitSequence() {
        for (int s = -2; s <= 1; s++) t.onPacket(s, 0, true);
        PathFeedback f = write(0);
        assertThat(f.largest()).isEqualTo(1);
        assertThat(f.acked()).containsExactly(new SeqRange(0xfffffffe, 1));
        assertThat(FeedbackCodecTest.decode(FeedbackCodecTest.hex(f))).containsExactly(f);
    }

    @Test
    void everySequenceIsReportedThreeTimesThenDropsOut() {
        t.onPacket(0, 0, true);
        t.onPacket(1, 0, true);
        for (int i = 0; i < FeedbackTracker.REPORTS; i++) assertThat(write(0).acked()).containsExactly(new SeqRange(0, 1));
        t.onPacket(2, 0, true);
        assertThat(write(0).acked()).containsExactly(new SeqRange(1, 2));
    }

    @Test
    void aLongJumpForgetsWhatFallsOutOfTheWindow() {
        t.onPacket(0, 0, true);
        t.onPacket(10_000, MS, true);
        PathFeedback f = write(100 * MS);
        assertThat(f.acked()).containsExactly(SeqRange.of(10_000));
        assertThat(f.nacked()).containsExactly(new SeqRange(10_000 - FeedbackTracker.WINDOW + 1, 9_999));
    }

    @Test
    void manyHolesFillABlockAndTheRestWaits() {
        t.setRtt(4 * MS);
        for (int s = 0; s < 200; s += 2) t.onPacket(s, 0, true);
        PathFeedback f = write(10 * MS);
        assertThat(f.acked()).hasSize(FeedbackBlock.MAX_RANGES);
        assertThat(f.nacked()).hasSizeLessThanOrEqualTo(FeedbackBlock.MAX_RANGES);
        assertThat(f.acked().getLast().first()).isGreaterThan(0); // oldest not yet covered
        FeedbackCodecTest.decode(FeedbackCodecTest.hex(f));
    }

    /**
     * Any arrival order with losses and duplicates gives blocks the codec accepts, with
     * consistent ranges, and every packet that arrived is acked in some block.
     */
    @Property(tries = 300)
    void randomArrivalOrderGivesConsistentFeedback(@ForAll long seed) {
        Random rnd = new Random(seed);
        FeedbackTracker tr = new FeedbackTracker(1, FeedbackPolicy.DEFAULT);
        tr.setRtt(rnd.nextInt(1, 100) * MS);
        int start = rnd.nextInt();
        List<Integer> arrivals = new ArrayList<>();
        for (int i = 0; i < 400; i++) if (rnd.nextDouble() > 0.1) arrivals.add(start + i);
        for (int i = 0; i + 3 < arrivals.size(); i += 4) if (rnd.nextBoolean()) Collections.swap(arrivals, i, i + 1 + rnd.nextInt(3));
        java.util.Set<Integer> acked = new java.util.HashSet<>();
        FeedbackBlock blk = new FeedbackBlock();
        long now = 0;
        for (int s : arrivals) {
            now += rnd.nextInt(0, 3) * MS;
            tr.onPacket(s, now, true);
            if (rnd.nextInt(10) == 0) tr.onPacket(s, now, true);
            if (tr.feedbackDue(now)) {
                tr.writeFeedback(now, blk);
                PathFeedback f = blk.toRecord();
                assertThat(FeedbackCodecTest.decode(FeedbackCodecTest.hex(f))).containsExactly(f);
                for (SeqRange r : f.acked()) for (int x = r.first(); x - r.last() <= 0; x++) acked.add(x);
                for (SeqRange r : f.nacked()) for (int x = r.first(); x - r.last() <= 0; x++) assertThat(acked).doesNotContain(x);
            }
        }
        tr.writeFeedback(now, blk);
        for (SeqRange r : blk.toRecord().acked()) for (int x = r.first(); x - r.last() <= 0; x++) acked.add(x);
        assertThat(acked).containsAll(arrivals);
    }
}
