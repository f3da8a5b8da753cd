package net.braid.multipath;

import static net.braid.multipath.PathSimulation.MS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathSchedulerTest {
    private final PathScheduler scheduler = new PathScheduler();
    private final SchedulerDecision d = new SchedulerDecision();

    /** A fixed path: 1 MB/s unless given, no pacing delay. */
    private record Fixed(PathStatus status, int metric, long congestionWindow, long bytesInFlight, long smoothedRttNanos,
            long deliveryRate, long nextSendTime) implements SchedulerPath {
        static Fixed of(long rttMs, long cwnd, long inFlight) {
            return new Fixed(PathStatus.UP, 0, cwnd, inFlight, rttMs * MS, 1_000_000, 0);
        }

        Fixed with(PathStatus s) { return new Fixed(s, metric, congestionWindow, bytesInFlight, smoothedRttNanos, deliveryRate, nextSendTime); }
        Fixed metric(int m) { return new Fixed(status, m, congestionWindow, bytesInFlight, smoothedRttNanos, deliveryRate, nextSendTime); }
        Fixed pacedUntil(long t) { return new Fixed(status, metric, congestionWindow, bytesInFlight, smoothedRttNanos, deliveryRate, t); }
    }

    @Test
    void earliestDeliveryWins() {
        var slow = Fixed.of(80, 100_000, 0);
        var fast = Fixed.of(20, 100_000, 0);
        assertThat(scheduler.pick(List.of(slow, fast), 1200, 1200, 0, d).kind()).isEqualTo(SchedulerDecision.Kind.SEND);
        assertThat(d.pathIndex()).isEqualTo(1);
        // Half a window per RTT (100 kB / 2 / 20 ms = 2.5 MB/s) beats the 1 MB/s estimate.
        assertThat(d.expectedDelivery()).isEqualTo(10 * MS + 480_000);
    }

    @Test
    void aPathWithOnlyProbeSamplesIsStillChosenWhenItsWindowWouldDeliverSooner() {
        // The fast path's window is full and 1 MB waits behind it (about 80 ms at 12.5 MB/s).
        // The idle path's estimate from probes alone is 500 B/s, by which it would never be used
        // (and so never learn better); half its window per RTT delivers the packet in ~17 ms.
        var fullFast = new Fixed(PathStatus.UP, 0, 12_000, 12_000, MS, 12_500_000, 0);
        var idle = new Fixed(PathStatus.UP, 0, 14_000, 0, 10 * MS, 500, 0);
        scheduler.pick(List.of(fullFast, idle), 1400, 1_000_000, 0, d);
        assertThat(d.kind()).isEqualTo(SchedulerDecision.Kind.SEND);
        assertThat(d.pathIndex()).isEqualTo(1);
    }

    /** A path with a separate minimum RTT. */
    private record Measured(long smoothedRttNanos, long minRttNanos, long congestionWindow, long bytesInFlight,
            long deliveryRate) implements SchedulerPath {
        @Override public PathStatus status() { return PathStatus.UP; }
        @Override public int metric() { return 0; }
        @Override public long nextSendTime() { return 0; }
    }

    @Test
    void anIdlePathIsJudgedByItsPropagationRttNotAStaleSrtt() {
        // As measured on the netns test bed: the loaded path's window is full with a few dozen
        // packets queued; the other path has carried only keepalives since its first samples,
        // which left SRTT at 46 ms though its minimum is 0.3 ms and nothing is in flight.
        var loaded = new Measured(1_800_000, 400_000, 14_500, 14_500, 6_250_000);
        var idle = new Measured(46 * MS, 300_000, 20_000, 0, 24_000);
        scheduler.pick(List.of(loaded, idle), 1452, 50 * 1452, 0, d);
        assertThat(d.kind()).isEqualTo(SchedulerDecision.Kind.SEND);
        assertThat(d.pathIndex()).isEqualTo(1);
        assertThat(d.expectedDelivery()).isLessThan(MS);
        // A queue on the path counts: in flight at the path's rate, capped by SRTT.
        assertThat(PathScheduler.expectedRtt(new Measured(46 * MS, 300_000, 4_000, 10_000, 10_000_000)))
                .isEqualTo(300_000 + 1_000_000);
        assertThat(PathScheduler.expectedRtt(new Measured(2 * MS, 300_000, 20_000, 1_000_000, 10_000_000)))
                .isEqualTo(2 * MS);
    }

    @Test
    void aShortQueueWaitsForTheFastPathRatherThanUseTheSlowOne() {
        var slow = Fixed.of(200, 100_000, 0);
        var fullFast = Fixed.of(20, 12_000, 12_000); // one packet over: opens in 2 ms
        scheduler.pick(List.of(slow, fullFast), 1200, 1200, 0, d);
        assertThat(d.kind()).isEqualTo(SchedulerDecision.Kind.WAIT);
        assertThat(d.waitUntil()).isEqualTo(2 * MS);
    }

    @Test
    void aLongQueueUsesTheSlowPathToo() {
        var slow = Fixed.of(200, 100_000, 0);
        var fullFast = Fixed.of(20, 12_000, 12_000);
        // 200 packets: the fast path alone needs 240 ms to deliver them; the slow one delivers this one in 101 ms.
        scheduler.pick(List.of(slow, fullFast), 1200, 200 * 1200, 0, d);
        assertThat(d.kind()).isEqualTo(SchedulerDecision.Kind.SEND);
        assertThat(d.pathIndex()).isZero();
    }

    @Test
    void pacingDelaysAPath() {
        var a = Fixed.of(20, 100_000, 0).pacedUntil(5 * MS);
        scheduler.pick(List.of(a), 1200, 1200, 0, d);
        assertThat(d.kind()).isEqualTo(SchedulerDecision.Kind.WAIT);
        assertThat(d.waitUntil()).isEqualTo(5 * MS);
        scheduler.pick(List.of(a), 1200, 1200, 5 * MS, d);
        assertThat(d.kind()).isEqualTo(SchedulerDecision.Kind.SEND);
    }

    @Test
    void aHigherMetricCarriesTrafficOnlyWhileNoLowerOneIsUp() {
        var primary = Fixed.of(50, 100_000, 0).metric(1);
        var backup = Fixed.of(10, 100_000, 0).metric(2);
        scheduler.pick(List.of(primary, backup), 1200, 1200, 0, d);
        assertThat(d.pathIndex()).isZero();
        // A full primary still keeps the backup idle: wait.
        scheduler.pick(List.of(Fixed.of(50, 10_000, 10_000).metric(1), backup), 1200, 1_000_000, 0, d);
        assertThat(d.kind()).isEqualTo(SchedulerDecision.Kind.WAIT);
        scheduler.pick(List.of(primary.with(PathStatus.SUSPECT), backup), 1200, 1200, 0, d);
        assertThat(d.pathIndex()).isZero();
        scheduler.pick(List.of(primary.with(PathStatus.DOWN), backup), 1200, 1200, 0, d);
        assertThat(d.pathIndex()).isEqualTo(1);
        scheduler.pick(List.of(primary.with(PathStatus.PROBING), backup.with(PathStatus.DOWN)), 1200, 1200, 0, d);
        assertThat(d.kind()).isEqualTo(SchedulerDecision.Kind.NO_PATH);
    }

    @Test
    void redundantModeReturnsTheTwoBestPathsThatCanSend() {
        var a = Fixed.of(80, 100_000, 0);
        var b = Fixed.of(20, 100_000, 0);
        var c = Fixed.of(40, 100_000, 0);
        var full = Fixed.of(5, 10_000, 10_000);
        int[] two = new int[2];
        assertThat(scheduler.pickRedundant(List.of(a, b, c, full), 100, 0, two)).isEqualTo(2);
        assertThat(two).containsExactly(1, 2);
        assertThat(scheduler.pickRedundant(List.of(a.with(PathStatus.DOWN), b), 100, 0, two)).isEqualTo(1);
        assertThat(two[0]).isEqualTo(1);
    }

    private record FlowRun(double outOfOrder, double extent, double throughput, long slowPercent) {}

    private static FlowRun flow(long offered, boolean greedy) {
        long end = 10_000 * MS;
        var sim = new PathSimulation(7, offered, greedy);
        var slow = sim.addPath(new PathSimulation.Link(250_000, 30 * MS, 250_000 / 10, 0), CongestionControl.BBR);
        var fast = sim.addPath(new PathSimulation.Link(1_000_000, 10 * MS, 1_000_000 / 10, 0), CongestionControl.BBR);
        sim.run(3_000 * MS, end);
        var r = new FlowRun(sim.outOfOrderFraction(), sim.meanReorderExtent(), sim.throughputBytesPerSecond(end),
                slow.sentPackets * 100 / Math.max(1, slow.sentPackets + fast.sentPackets));
        System.out.printf("offered %d B/s, %s: %.1f %% out of order, mean extent %.2f, %.0f B/s, slow path %d %%%n", offered,
                greedy ? "greedy" : "ECF", 100 * r.outOfOrder(), r.extent(), r.throughput(), r.slowPercent());
        return r;
    }

    /**
     * Two paths 1:4 (2 and 8 Mbit/s, 30 and 10 ms one way) carrying one flow. Below the fast
     * path's capacity, ECF keeps the flow on it and in order, where the seed's greedy choice (the
     * first path with window room) spreads it and reorders; above it, ECF adds the slow path
     * for throughput and still reorders less.
     */
    @Test
    void twoPathsOneToFourKeepASingleFlowMostlyInOrder() {
        FlowRun light = flow(700_000, false);
        FlowRun lightGreedy = flow(700_000, true);
        assertThat(light.throughput()).isGreaterThan(0.98 * 700_000);
        assertThat(light.outOfOrder()).isLessThan(0.02);
        assertThat(light.outOfOrder()).isLessThan(lightGreedy.outOfOrder() / 4);

        FlowRun heavy = flow(1_100_000, false);
        FlowRun heavyGreedy = flow(1_100_000, true);
        assertThat(heavy.throughput()).isGreaterThan(0.98 * 1_100_000); // more than the fast path alone carries
        assertThat(heavy.slowPercent()).isBetween(5L, 30L);
        assertThat(heavy.extent()).isLessThan(heavyGreedy.extent());
    }
}
