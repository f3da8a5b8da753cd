package net.braid.testbed.impair;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LossProcessTest {
    private static final int DRAWS = 200_000;

    @Test
    void randomLossIsIndependentAtItsRate() {
        LossProcess process = new LossProcess(new SplittableRandom(1));
        LossModel model = new LossModel.Random(5);
        int lost = 0;
        int lostAfterLost = 0;
        boolean previous = false;
        for (int i = 0; i < DRAWS; i++) {
            boolean now = process.lose(model);
            lost += now ? 1 : 0;
            lostAfterLost += now && previous ? 1 : 0;
            previous = now;
        }
        assertThat(100.0 * lost / DRAWS).isBetween(4.8, 5.2);
        assertThat(100.0 * lostAfterLost / lost).as("loss right after a loss, in percent").isBetween(4.0, 6.0);
    }

    @Test
    void gilbertLossComesInBurstsOfTheExpectedLength() {
        LossProcess process = new LossProcess(new SplittableRandom(2));
        LossModel model = new LossModel.GilbertElliott(1, 20); // mean 1/21 ≈ 4.76 %, bursts of 5
        int lost = 0;
        int bursts = 0;
        boolean previous = false;
        for (int i = 0; i < DRAWS; i++) {
            boolean now = process.lose(model);
            lost += now ? 1 : 0;
            bursts += now && !previous ? 1 : 0;
            previous = now;
        }
        assertThat(100.0 * lost / DRAWS).isCloseTo(model.meanPercent(), org.assertj.core.data.Offset.offset(0.6));
        assertThat((double) lost / bursts).as("mean burst length").isBetween(4.5, 5.5);
    }

    @Test
    void noneLosesNothing() {
        LossProcess process = new LossProcess(new SplittableRandom(3));
        for (int i = 0; i < 1000; i++) {
            assertThat(process.lose(LossModel.NONE)).isFalse();
        }
    }
}
