package net.braid.testbed.impair;

import java.util.random.RandomGenerator;

/** Draws loss decisions for one direction; holds the Gilbert chain's state between datagrams. */
final class LossProcess {
    private final RandomGenerator random;
    private boolean bad;

    LossProcess(RandomGenerator random) {
        this.random = random;
    }

    /** Whether the next datagram is lost under {@code model}. */
    boolean lose(LossModel model) {
        return switch (model) {
            case LossModel.None none -> false;
            case LossModel.Random r -> random.nextDouble() * 100 < r.percent();
            case LossModel.GilbertElliott ge -> {
                double draw = random.nextDouble() * 100;
                bad = bad ? draw >= ge.leaveBadPercent() : draw < ge.enterBadPercent();
                yield bad;
            }
        };
    }
}
