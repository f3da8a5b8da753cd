package net.braid.bench;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.braid.testbed.Host;
import net.braid.testbed.Iperf3;
import net.braid.testbed.Iperf3Result;

/**
 * One iperf3 TCP test from {@code client} to a one-shot server on {@code server}, with the CPU
 * time of the tunnel daemons read just before and just after.
 */
final class ThroughputRun {
    // iperf3 -J: "sum_received": { ..., "bytes": N, ... } is a flat object.
    private static final Pattern RECEIVED_BYTES =
            Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bytes\"\\s*:\\s*(\\d+)");

    private ThroughputRun() {}

    static Measurement measure(int round, Subject subject, Direction direction, Host client, Host server, InetAddress serverAddress,
                               int seconds, Optional<ProcessCpu> daemons) {
        try (Iperf3.Server iperf = Iperf3.server(server, serverAddress)) {
            Iperf3.Client run = Iperf3.client(client, iperf).seconds(seconds);
            if (direction.reverse()) {
                run.reverse();
            }
            Duration cpuBefore = daemons.map(ProcessCpu::total).orElse(Duration.ZERO);
            long start = System.nanoTime();
            Iperf3Result result = run.run();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            Optional<Duration> cpu = daemons.map(d -> d.total().minus(cpuBefore));
            long bytes = receivedBytes(result.json()).orElse((long) (result.receivedBitsPerSecond() * seconds / 8));
            return new Measurement(round, subject, direction, result.receivedMbps(), bytes,
                    result.retransmits(), elapsed, cpu);
        }
    }

    /** The bytes the receiver got, from iperf3's JSON report. */
    static Optional<Long> receivedBytes(String iperfJson) {
        Matcher m = RECEIVED_BYTES.matcher(iperfJson);
        return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }
}
