package net.braid.multipath;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathLivenessTest {
    private static final long MS = 1_000_000L;
    private final RttEstimator rtt = new RttEstimator();

    private PathLiveness up() {
        return new PathLiveness(LivenessPolicy.DEFAULT, rtt, PathStatus.UP, 0);
    }

    /** Runs the timers each ms as an engine would; returns the first time the status is {@code s}. */
    private static long firstTime(PathLiveness l, PathStatus s, long from, long to) {
        for (long t = from; t <= to; t += MS) if (l.onTimer(t) == s) return t;
        return -1;
    }

    @Test
    void shortRttPathIsDownAfter300Ms() {
        rtt.onSample(20 * MS, 0, 0);
        PathLiveness l = up();
        l.onHeard(1000 * MS);
        assertThat(firstTime(l, PathStatus.SUSPECT, 1000 * MS, 2000 * MS)).isEqualTo(1100 * MS);
        assertThat(firstTime(l, PathStatus.DOWN, 1100 * MS, 2000 * MS)).isEqualTo(1300 * MS);
    }

    @Test
    void longRttPathIsDownAfterThreeRtts() {
        rtt.onSample(250 * MS, 0, 0);
        PathLiveness l = up();
        assertThat(firstTime(l, PathStatus.SUSPECT, 0, 2000 * MS)).isEqualTo(250 * MS);
        assertThat(firstTime(l, PathStatus.DOWN, 250 * MS, 2000 * MS)).isEqualTo(750 * MS);
    }

    @Test
    void signsOfLifeKeepItUpAndClearSuspicion() {
        rtt.onSample(20 * MS, 0, 0);
        PathLiveness l = up();
        for (long t = 0; t < 2000 * MS; t += 50 * MS) {
            l.onHeard(t);
            assertThat(l.onTimer(t + 40 * MS)).isEqualTo(PathStatus.UP);
        }
        assertThat(l.onTimer(2100 * MS)).isEqualTo(PathStatus.SUSPECT);
        assertThat(l.onHeard(2101 * MS)).isEqualTo(PathStatus.UP);
    }

    @Test
    void keepalivesWhenQuietAndFasterWhileSuspect() {
        rtt.onSample(20 * MS, 0, 0);
        PathLiveness l = up();
        assertThat(l.nextProbeAt()).isEqualTo(100 * MS);
        l.onTimer(100 * MS);
        assertThat(l.probeDue(100 * MS)).isTrue();
        l.onProbeSent(100 * MS);
        assertThat(l.status()).isEqualTo(PathStatus.SUSPECT);
        assertThat(l.nextProbeAt()).isEqualTo(150 * MS);
    }

    @Test
    void aPathThatOnlyReceivesStillSendsKeepalivesToMeasureItsSendingSide() {
        rtt.onSample(20 * MS, 0, 0);
        PathLiveness l = up();
        // The other side's traffic arrives every 10 ms; nothing we send is acked.
        for (long t = 10 * MS; t <= 100 * MS; t += 10 * MS) {
            l.onHeard(t);
            l.onTimer(t);
        }
        assertThat(l.status()).isEqualTo(PathStatus.UP);
        assertThat(l.probeDue(100 * MS)).isTrue();
        l.onProbeSent(100 * MS);
        l.onAcked(101 * MS);
        // Acked traffic postpones the next keepalive by the suspect interval.
        assertThat(l.nextProbeAt()).isEqualTo(201 * MS);
        l.onAcked(150 * MS);
        assertThat(l.probeDue(200 * MS)).isFalse();
        assertThat(l.nextProbeAt()).isEqualTo(250 * MS);
    }

    @Test
    void downPathIsProbedWithBackoffAndComesBackAfterTwoReplies() {
        rtt.onSample(20 * MS, 0, 0);
        PathLiveness l = up();
        assertThat(firstTime(l, PathStatus.DOWN, 0, 1000 * MS)).isEqualTo(300 * MS);
        long[] expected = {300, 400, 600, 1000, 1800, 2800, 3800};
        for (long at : expected) {
            assertThat(l.nextProbeAt()).isEqualTo(at * MS);
            assertThat(l.probeDue(at * MS)).isTrue();
            l.onProbeSent(at * MS);
            assertThat(l.onTimer(at * MS + 1)).isEqualTo(PathStatus.DOWN);
        }
        // The link returns: the reply to the 3.8 s probe arrives one RTT later.
        assertThat(l.onHeard(3820 * MS)).isEqualTo(PathStatus.PROBING);
        assertThat(l.probeDue(3820 * MS)).isTrue(); // prove it again at once
        l.onProbeSent(3820 * MS);
        assertThat(l.onHeard(3840 * MS)).isEqualTo(PathStatus.UP);
        assertThat(l.status().carriesTraffic()).isTrue();
    }

    @Test
    void aProbingPathThatFallsSilentGoesDownAgain() {
        PathLiveness l = new PathLiveness(LivenessPolicy.DEFAULT, rtt, PathStatus.DOWN, 0);
        assertThat(l.probeDue(0)).isTrue();
        l.onProbeSent(0);
        assertThat(l.onHeard(10 * MS)).isEqualTo(PathStatus.PROBING);
        assertThat(l.status().carriesTraffic()).isFalse();
        // No RTT sample yet: 3 × the 333 ms initial RTT after the reply at 10 ms.
        assertThat(l.onTimer(1008 * MS)).isEqualTo(PathStatus.PROBING);
        assertThat(l.onTimer(1009 * MS)).isEqualTo(PathStatus.DOWN);
    }

    @Test
    void oneReplySufficesWhenConfigured() {
        var policy = new LivenessPolicy(1, 100 * MS, 3, 300 * MS, 100 * MS, 1000 * MS, 1);
        PathLiveness l = new PathLiveness(policy, rtt, PathStatus.DOWN, 0);
        assertThat(l.onHeard(5 * MS)).isEqualTo(PathStatus.UP);
    }
}
