package net.braid.bench;

import java.util.Optional;

/**
 * What one case measured: the receiver's rate and the sender's retransmits, or why it failed; for
 * forwarded cases also the event loops' CPU per forwarded MB on each side and the 1-minute load.
 */
record ForwardResult(ForwardCase forwardCase, Optional<Double> mbps, long retransmits, Optional<String> failure,
                     Optional<LoopCost> cost) {

    /** Event-loop CPU milliseconds per MB (10^6 bytes) forwarded, client-side and server-side forwarder. */
    record LoopCost(double clientMsPerMb, double serverMsPerMb, String load) {}

    static ForwardResult measured(ForwardCase c, double mbps, long retransmits) {
        return new ForwardResult(c, Optional.of(mbps), retransmits, Optional.empty(), Optional.empty());
    }

    static ForwardResult failed(ForwardCase c, String why) {
        return new ForwardResult(c, Optional.empty(), 0, Optional.of(why), Optional.empty());
    }

    ForwardResult withCost(LoopCost c) {
        return new ForwardResult(forwardCase, mbps, retransmits, failure, Optional.of(c));
    }

    String costText() {
        return cost.map(c -> String.format("%.1f / %.1f", c.clientMsPerMb(), c.serverMsPerMb())).orElse("–");
    }
}
