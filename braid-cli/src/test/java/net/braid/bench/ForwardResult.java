package net.braid.bench;

import java.util.Optional;

/** What one case measured: the receiver's rate and the sender's retransmits, or why it failed. */
record ForwardResult(ForwardCase forwardCase, Optional<Double> mbps, long retransmits, Optional<String> failure) {

    static ForwardResult measured(ForwardCase c, double mbps, long retransmits) {
        return new ForwardResult(c, Optional.of(mbps), retransmits, Optional.empty());
    }

    static ForwardResult failed(ForwardCase c, String why) {
        return new ForwardResult(c, Optional.empty(), 0, Optional.of(why));
    }
}
