package net.braid.multipath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Feedback in, controller events out: ACKs, NACKs, RTT with hold delay, timeouts. */
class PathSenderTest {
    private static final long MS = 1_000_000L;
    private final PathSender sender = PathSender.create(3, 1000, CongestionControl.NEWRENO);
    private final NewRenoController reno = (NewRenoController) sender.controller();

    private static FeedbackBlock block(int largest, long holdMicros, List<SeqRange> acked, List<SeqRange> nacked) {
        return new FeedbackBlock().set(new PathFeedback(3, largest, holdMicros, acked, nacked));
    }

    @Test
    void acksGrowTheWindowAndGiveAnRttWithoutTheHold() {
        for (int s = 0; s < 4; s++) sender.onPacketSent(s, 1000, s * MS);
        assertThat(sender.bytesInFlight()).isEqualTo(4000);
        int acked = sender.onFeedback(block(3, 5000, List.of(new SeqRange(0, 3)), List.of()), 58 * MS);
        assertThat(acked).isEqualTo(4);
        assertThat(sender.bytesInFlight()).isZero();
        // The first sample keeps the hold (RFC 9002 §5.3: it would fall below the only minimum known).
        assertThat(sender.rtt().latest()).isEqualTo(55 * MS);
        assertThat(reno.windowPackets()).isEqualTo(14);
        // The same feedback again (it is repeated on purpose) changes nothing.
        assertThat(sender.onFeedback(block(3, 5000, List.of(new SeqRange(0, 3)), List.of()), 60 * MS)).isZero();
        assertThat(reno.windowPackets()).isEqualTo(14);
        sender.onPacketSent(4, 1000, 60 * MS);
        sender.onFeedback(block(4, 5000, List.of(SeqRange.of(4)), List.of()), 120 * MS);
        assertThat(sender.rtt().latest()).isEqualTo(55 * MS); // 60 − 5
    }

    @Test
    void nackHalvesTheWindowOnceAndFreesTheLostBytes() {
        for (int s = 0; s < 10; s++) sender.onPacketSent(s, 1000, 0);
        sender.onFeedback(block(9, 0, List.of(new SeqRange(5, 9), new SeqRange(0, 1)), List.of(new SeqRange(2, 4))), 50 * MS);
        assertThat(sender.bytesInFlight()).isZero();
        assertThat(sender.packetsLost()).isEqualTo(3);
        // ACKs first (10 + 7 = 17 in slow start), then one halving for the three NACKs of one flight.
        assertThat(reno.windowPackets()).isEqualTo(8);
    }

    @Test
    void silentPacketsTimeOutAfterThreeRtts() {
        sender.onPacketSent(0, 1000, 0);
        sender.onFeedback(block(0, 0, List.of(SeqRange.of(0)), List.of()), 40 * MS);
        sender.onPacketSent(1, 1000, 100 * MS);
        sender.onPacketSent(2, 1000, 110 * MS);
        assertThat(sender.lossTimeout()).isEqualTo(120 * MS);
        assertThat(sender.nextTimeoutAt()).isEqualTo(220 * MS);
        sender.onTimer(219 * MS);
        assertThat(sender.packetsLost()).isZero();
        sender.onTimer(225 * MS);
        assertThat(sender.packetsLost()).isEqualTo(1);
        assertThat(sender.bytesInFlight()).isEqualTo(1000);
        assertThat(sender.nextTimeoutAt()).isEqualTo(230 * MS);
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a spinning timer must fail, not hang
    void theLossTimerEndsWhenThousandsOfControlMessagesPassedAPacketInFlight() {
        // The receiving portal of a fast flow sends feedback on its fastest path, each message taking
        // a path sequence; one of its own data packets then sat more than the ledger's 8192
        // sequences below the newest. The ledger stepped over it still counted, and this timer
        // spun for good under the peer's lock (the portal froze; bench/multipath 10/40 ms, 2 of 10 runs).
        sender.onPacketSent(0, 1000, 0);
        sender.onPacketSent(9000, 1000, MS); // 1–8999: control messages
        sender.onTimer(5000 * MS); // both far past any loss timeout
        assertThat(sender.bytesInFlight()).isZero();
        assertThat(sender.nextTimeoutAt()).isEqualTo(Long.MAX_VALUE);
        assertThat(sender.packetsLost()).isEqualTo(2);
    }

    @Test
    void feedbackFarOutsideTheLedgerIsHarmless() {
        sender.onPacketSent(100, 1000, 0);
        int acked = sender.onFeedback(block(Integer.MAX_VALUE, 0, List.of(new SeqRange(0, Integer.MAX_VALUE)), List.of()), MS);
        assertThat(acked).isEqualTo(1);
        assertThat(sender.onFeedback(block(-5, 0, List.of(new SeqRange(-100, -5)), List.of()), MS)).isZero();
    }

    @Test
    void pacingSpacesPackets() {
        PathSender bbr = PathSender.create(0, 1000, CongestionControl.BBR);
        bbr.onPacketSent(0, 1000, 0);
        long gap = bbr.nextSendTime();
        assertThat(gap).isPositive();
        assertThat(bbr.canSend(1000, gap - 1)).isFalse();
        assertThat(bbr.canSend(1000, gap)).isTrue();
    }
}
