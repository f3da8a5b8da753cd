package net.braid.testbed.impair;

/** How a direction of the relay chooses datagrams to lose. */
public sealed interface LossModel {
    /** Loses nothing. */
    None NONE = new None();

    /** The long-run fraction of datagrams lost, in percent. */
    double meanPercent();

    record None() implements LossModel {
        @Override
        public double meanPercent() {
            return 0;
        }

        @Override
        public String toString() {
            return "0%";
        }
    }

    /** Each datagram is lost independently with probability {@code percent}/100. */
    record Random(double percent) implements LossModel {
        public Random {
            requirePercent("loss", percent);
        }

        @Override
        public double meanPercent() {
            return percent;
        }

        @Override
        public String toString() {
            return percent + "%";
        }
    }

    /**
     * Burst loss, as netem's {@code loss gemodel p r} (Gilbert model): a two-state chain where every
     * datagram in the bad state is lost and none in the good one. Before each datagram the chain
     * moves good to bad with probability {@code enterBadPercent}, bad to good with
     * {@code leaveBadPercent}; bursts last 100/leaveBadPercent datagrams on average.
     */
    record GilbertElliott(double enterBadPercent, double leaveBadPercent) implements LossModel {
        public GilbertElliott {
            requirePercent("enter-bad probability", enterBadPercent);
            requirePercent("leave-bad probability", leaveBadPercent);
            if (leaveBadPercent == 0 && enterBadPercent > 0) {
                throw new IllegalArgumentException("leave-bad probability 0% would lose everything after the first burst");
            }
        }

        @Override
        public double meanPercent() {
            double sum = enterBadPercent + leaveBadPercent;
            return sum == 0 ? 0 : 100 * enterBadPercent / sum;
        }

        @Override
        public String toString() {
            return "gemodel " + enterBadPercent + "% " + leaveBadPercent + "%";
        }
    }

    static void requirePercent(String what, double percent) {
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException(what + " must be 0-100%, got " + percent);
        }
    }
}
