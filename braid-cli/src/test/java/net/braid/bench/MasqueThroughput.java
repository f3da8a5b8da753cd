package net.braid.bench;

import java.util.Optional;

/**
 * One throughput measurement of {@code bench/masque}.
 *
 * @param link "200 Mbit/s" or "unlimited"
 * @param test what flowed, e.g. "TCP client → server"
 * @param carrier what carried it: "direct", "CONNECT-IP", "CONNECT-UDP", "braid up", "direct veth"
 * @param baseline the carrier this one is compared with in the same test and link; empty for a baseline
 * @param mbps goodput at the receiver; empty when the case failed
 * @param note loss, retransmits, refusals, or why it failed
 */
record MasqueThroughput(String link, String test, String carrier, Optional<String> baseline, Optional<Double> mbps, String note) {
    static MasqueThroughput measured(String link, String test, String carrier, Optional<String> baseline, double mbps, String note) {
        return new MasqueThroughput(link, test, carrier, baseline, Optional.of(mbps), note);
    }

    static MasqueThroughput failed(String link, String test, String carrier, Optional<String> baseline, String why) {
        return new MasqueThroughput(link, test, carrier, baseline, Optional.empty(), "failed: " + why);
    }
}
