package net.braid.multipath;

import static net.braid.multipath.PathSimulation.MS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BbrLikeControllerTest {

    @Test
    void bandwidthEstimateConvergesToTheBottleneck() {
        long rate = 1_250_000; // 10 Mbit/s
        var sim = new PathSimulation(1, 0, false);
        var link = new PathSimulation.Link(rate, 20 * MS, 2 * rate * 40 / 1000, 0);
        var path = sim.addPath(link, CongestionControl.BBR);
        long end = 8_000 * MS;
        sim.run(2_000 * MS, end);
        var bbr = (BbrLikeController) path.sender.controller();
        assertThat(bbr.mode()).isIn(BbrLikeController.Mode.PROBE_BW, BbrLikeController.Mode.PROBE_RTT);
        assertThat((double) bbr.bottleneckBandwidth()).isBetween(0.9 * rate, 1.1 * rate);
        assertThat(bbr.minRtt()).isBetween(40 * MS, 45 * MS);
        assertThat(sim.throughputBytesPerSecond(end)).isGreaterThan(0.9 * rate);
        // cwnd = 2 × BDP, give or take the probing phase.
        double bdp = rate * 0.040;
        assertThat((double) bbr.congestionWindow()).isBetween(1.5 * bdp, 2.6 * bdp);
        // The standing queue stays well under one RTT.
        assertThat(sim.meanQueueDelayNanos()).isLessThan(20 * MS);
    }

    /**
     * A 50 Mbit/s path with a 0.4 ms propagation RTT whose feedback reaches the sender in bursts
     * every 4 ms, as on the netns test bed (the engine thread runs in rounds; the inner TCP's
     * ACKs bunch). 2 × bandwidth × min RTT is 5 kB: a window of that size is used once per
     * burst, a third of the link. The window must cover what arrives between bursts.
     */
    @Test
    void windowCoversFeedbackThatArrivesInBursts() {
        long rate = 6_250_000; // 50 Mbit/s
        var sim = new PathSimulation(1, 0, false);
        sim.feedbackQuantumNanos = 4 * MS;
        var path = sim.addPath(new PathSimulation.Link(rate, 200_000, rate / 25, 0), CongestionControl.BBR);
        long end = 6_000 * MS;
        sim.run(2_000 * MS, end);
        var bbr = (BbrLikeController) path.sender.controller();
        System.out.printf("bursty feedback: utilisation %.2f, cwnd %d, bw %d, min rtt %d us, queue %.2f ms%n",
                sim.throughputBytesPerSecond(end) / rate, bbr.congestionWindow(), bbr.bottleneckBandwidth(),
                bbr.minRtt() / 1000, sim.meanQueueDelayNanos() / MS);
        assertThat(sim.throughputBytesPerSecond(end)).isGreaterThan(0.85 * rate);
        // Not by filling the 40 ms buffer: the standing queue stays near the burst interval.
        assertThat(sim.meanQueueDelayNanos()).isLessThan(10 * MS);
    }

    @Test
    void windowOfASmoothPathIsNotInflated() {
        long rate = 1_250_000; // 10 Mbit/s, feedback at once: nothing to aggregate
        var sim = new PathSimulation(1, 0, false);
        var path = sim.addPath(new PathSimulation.Link(rate, 20 * MS, 2 * rate * 40 / 1000, 0), CongestionControl.BBR);
        sim.run(2_000 * MS, 8_000 * MS);
        var bbr = (BbrLikeController) path.sender.controller();
        double bdp = rate * 0.040;
        assertThat((double) bbr.congestionWindow()).isLessThan(2.6 * bdp);
    }

    /**
     * A scripted pipe: one 1000-byte packet per ms while the window allows (1 MB/s at most),
     * each acked {@code rtt(t)} after it left.
     */
    private static final class Pipe {
        final RttEstimator rtt = new RttEstimator();
        final BbrLikeController bbr = new BbrLikeController(1000, rtt);
        final SentPacketLedger ledger = new SentPacketLedger(4096);
        final RateSample s = new RateSample();
        final java.util.ArrayDeque<long[]> acks = new java.util.ArrayDeque<>();
        int seq;
        long now;

        void runUntil(long end, java.util.function.LongUnaryOperator rttAt) {
            for (; now < end; now += MS) {
                while (!acks.isEmpty() && acks.peek()[0] <= now) {
                    int acked = (int) acks.poll()[1];
                    ledger.onAcked(acked, now, s);
                    rtt.onSample(s.rttNanos(), 0, now);
                    bbr.onAck(now, s, ledger.bytesInFlight());
                }
                if (ledger.bytesInFlight() + 1000 <= bbr.congestionWindow()) {
                    ledger.onSent(seq, 1000, now);
                    acks.add(new long[] {now + rttAt.applyAsLong(now), seq++});
                }
            }
        }
    }

    @Test
    void startupExitsAfterThreeRoundsWithoutGrowth() {
        Pipe pipe = new Pipe();
        BbrLikeController bbr = pipe.bbr;
        pipe.runUntil(2_000 * MS, t -> 50 * MS);
        assertThat(bbr.mode()).isEqualTo(BbrLikeController.Mode.PROBE_BW);
        assertThat(bbr.bottleneckBandwidth()).isBetween(990_000L, 1_010_000L);
        assertThat(bbr.minRtt()).isEqualTo(50 * MS);
        // 2 × BDP, plus one packet of ack aggregation (acks arrive one per ms, as the bandwidth
        // explains) and 3 × a two-packet send quantum.
        assertThat(bbr.congestionWindow()).isBetween(2 * 50_000L, 2 * 50_000L + 1000 + 6000);
        assertThat(bbr.pacingRate()).isBetween(740_000L, 1_260_000L);
    }

    @Test
    void probesRttWhenTheMinimumIsTenSecondsOld() {
        Pipe pipe = new Pipe();
        BbrLikeController bbr = pipe.bbr;
        // The path's RTT grows from 50 to 60 ms at 1 s: the 50 ms minimum is never seen again.
        java.util.function.LongUnaryOperator rtt = t -> t < 1_000 * MS ? 50 * MS : 60 * MS;
        pipe.runUntil(10_900 * MS, rtt);
        assertThat(bbr.mode()).isEqualTo(BbrLikeController.Mode.PROBE_BW);
        assertThat(bbr.minRtt()).isEqualTo(50 * MS);
        pipe.runUntil(11_200 * MS, rtt);
        assertThat(bbr.mode()).isEqualTo(BbrLikeController.Mode.PROBE_RTT);
        assertThat(bbr.congestionWindow()).isEqualTo(4 * 1000);
        pipe.runUntil(12_000 * MS, rtt);
        assertThat(bbr.mode()).isEqualTo(BbrLikeController.Mode.PROBE_BW);
        assertThat(bbr.minRtt()).isEqualTo(60 * MS);
        assertThat(bbr.congestionWindow()).isGreaterThan(100_000);
    }

    @Test
    void lossTakesBytesOffTheWindowButNotBelowFourPackets() {
        BbrLikeController bbr = new BbrLikeController(1000, new RttEstimator());
        assertThat(bbr.congestionWindow()).isEqualTo(10_000);
        bbr.onLoss(0, 1000, 0, 0);
        assertThat(bbr.congestionWindow()).isEqualTo(9_000);
        for (int i = 0; i < 20; i++) bbr.onLoss(0, 1000, 0, 0);
        assertThat(bbr.congestionWindow()).isEqualTo(4_000);
    }
}
