package net.braid.bench;

import java.time.Duration;
import java.util.Optional;

/**
 * One iperf3 TCP run of one case in one direction.
 *
 * @param round which repetition of the whole sequence this run belongs to, from 1
 * @param elapsed wall time of the whole client run, connection set-up included
 * @param cpu CPU time of the tunnel daemons (both ends) over {@code elapsed}; empty for the bare link
 */
record Measurement(int round, Subject subject, Direction direction, double mbps, long bytes, long retransmits,
                   Duration elapsed, Optional<Duration> cpu) {

    /** Tunnel CPU-seconds per gigabyte (10^9 bytes) delivered: the cost that bounds throughput on few cores. */
    Optional<Double> cpuSecondsPerGigabyte() {
        return bytes <= 0 ? Optional.empty() : cpu.map(c -> seconds(c) / (bytes / 1e9));
    }

    /** How many cores the tunnel daemons kept busy on average. */
    Optional<Double> cores() {
        return cpu.map(c -> seconds(c) / seconds(elapsed));
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
