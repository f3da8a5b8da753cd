package net.braid.multipath;

import static net.braid.multipath.PathSimulation.MS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The measurement behind {@link CongestionControl#DEFAULT} (docs/multipath.md §2.4): both
 * controllers on one simulated 10 Mbit/s, 40 ms path, over the same seeds. Deterministic (fake
 * clock, seeded loss), so it asserts the comparison rather than timing anything.
 */
class ControllerComparisonTest {
    private static final long RATE = 1_250_000;
    private static final long END = 20_000 * MS;

    private record Result(double throughput, double queueMs) {}

    private static Result run(CongestionControl kind, long bufferBytes, double loss, long seed) {
        var sim = new PathSimulation(seed, 0, false);
        sim.addPath(new PathSimulation.Link(RATE, 20 * MS, bufferBytes, loss), kind);
        sim.run(5_000 * MS, END);
        return new Result(sim.throughputBytesPerSecond(END) / RATE, sim.meanQueueDelayNanos() / MS);
    }

    private static Result mean(CongestionControl kind, long buffer, double loss) {
        double t = 0, q = 0;
        for (long seed = 1; seed <= 3; seed++) {
            Result r = run(kind, buffer, loss, seed);
            t += r.throughput();
            q += r.queueMs();
        }
        return new Result(t / 3, q / 3);
    }

    @Test
    void bbrKeepsTheLinkFullUnderRandomLossAndTheQueueShortOnADeepBuffer() {
        long bdp = RATE * 40 / 1000;
        StringBuilder table = new StringBuilder("| case | NewReno util / queue ms | BBR util / queue ms |\n|---|---|---|\n");
        Result[][] r = new Result[3][2];
        String[] names = {"buffer 1 BDP, no loss", "buffer 1 BDP, 1 % loss", "buffer 8 BDP, no loss"};
        long[] buffers = {bdp, bdp, 8 * bdp};
        double[] losses = {0, 0.01, 0};
        for (int c = 0; c < 3; c++) {
            r[c][0] = mean(CongestionControl.NEWRENO, buffers[c], losses[c]);
            r[c][1] = mean(CongestionControl.BBR, buffers[c], losses[c]);
            table.append(String.format("| %s | %.2f / %.1f | %.2f / %.1f |%n", names[c], r[c][0].throughput(), r[c][0].queueMs(),
                    r[c][1].throughput(), r[c][1].queueMs()));
        }
        System.out.print(table);
        // Clean path: both fill it.
        assertThat(r[0][0].throughput()).isGreaterThan(0.8);
        assertThat(r[0][1].throughput()).isGreaterThan(0.9);
        // 1 % random loss: NewReno's halving leaves much of the link idle; BBR does not treat it as congestion.
        assertThat(r[1][1].throughput()).isGreaterThan(0.85);
        assertThat(r[1][1].throughput()).isGreaterThan(1.5 * r[1][0].throughput());
        // Deep buffer: NewReno fills it (bufferbloat); BBR keeps the queue near a fraction of the RTT.
        assertThat(r[2][1].queueMs()).isLessThan(r[2][0].queueMs() / 3);
    }
}
