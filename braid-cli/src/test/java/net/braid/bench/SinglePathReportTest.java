package net.braid.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SinglePathReportTest {
    private static final Machine MACHINE = new Machine("2026-01-01 00:00 UTC", 2, "AMD EPYC", "Linux 6.1", "JDK 25",
            "wireguard-go v0.0.20220316", "iperf 3.12", "abc1234", "0.10 0.20 0.30");

    private static Measurement run(int round, Subject s, Direction d, double mbps, Double cpuSeconds) {
        long bytes = (long) (mbps * 1e6 * 10 / 8);
        return new Measurement(round, s, d, mbps, bytes, round, Duration.ofSeconds(10),
                Optional.ofNullable(cpuSeconds).map(c -> Duration.ofMillis((long) (c * 1000))));
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Summary.median(List.of(1.0, 5.0, 9.0))).isEqualTo(5.0);
        assertThat(Summary.median(List.of(1.0, 3.0, 9.0, 20.0))).isEqualTo(6.0);
    }

    @Test
    void summaryTakesMediansAndRangeOfOneCaseAndDirectionOnly() {
        List<Measurement> all = List.of(
                run(1, Subject.BRAID, Direction.LEFT_TO_RIGHT, 300, 10.0),
                run(2, Subject.BRAID, Direction.LEFT_TO_RIGHT, 500, 14.0),
                run(3, Subject.BRAID, Direction.LEFT_TO_RIGHT, 400, 12.0),
                run(1, Subject.BRAID, Direction.RIGHT_TO_LEFT, 9999, 1.0),
                run(1, Subject.WIREGUARD_GO, Direction.LEFT_TO_RIGHT, 9999, 1.0));
        Summary s = Summary.of(Subject.BRAID, Direction.LEFT_TO_RIGHT, all);
        assertThat(s.runs()).isEqualTo(3);
        assertThat(s.mbps()).isEqualTo(400);
        assertThat(s.minMbps()).isEqualTo(300);
        assertThat(s.maxMbps()).isEqualTo(500);
        assertThat(s.cores()).hasValueSatisfying(c -> assertThat(c).isCloseTo(1.2, within(1e-9)));
        // 12 CPU-s for 400 Mbit/s * 10 s = 0.5 GB
        assertThat(s.cpuSecondsPerGigabyte()).hasValueSatisfying(c -> assertThat(c).isCloseTo(24.0, within(1e-6)));
    }

    @Test
    void ratiosCompareMediansPerDirectionAndMarkdownShowsThem() {
        List<Measurement> all = List.of(
                run(1, Subject.VETH, Direction.LEFT_TO_RIGHT, 20000, null),
                run(1, Subject.WIREGUARD_GO, Direction.LEFT_TO_RIGHT, 400, 14.0),
                run(1, Subject.BRAID, Direction.LEFT_TO_RIGHT, 600, 12.0));
        var report = new SinglePathReport(MACHINE, 10, 2, 1, "0.40 0.50 0.60", "sudo bench/single-path", all);
        assertThat(report.ratio(Subject.BRAID, Subject.WIREGUARD_GO, Direction.LEFT_TO_RIGHT)).hasValue(1.5);
        assertThat(report.ratio(Subject.BRAID, Subject.WIREGUARD_GO, Direction.RIGHT_TO_LEFT)).isEmpty();
        String md = report.markdown();
        assertThat(md)
                .contains("| direct veth | left → right | 20000 | 1 | — | — |")
                .contains("| braid | left → right | 600 | 1 | 1.20 | 16.00 |")
                .contains("| left → right | 1.50 | 0.030 | 0.020 |")
                .contains("| right → left | — | — | — |")
                .contains("2 CPUs, AMD EPYC, Linux 6.1")
                .contains("before 0.10 0.20 0.30, after 0.40 0.50 0.60")
                .contains("```\nsudo bench/single-path\n```")
                .doesNotContain("## Every run");
    }

    @Test
    void severalRoundsAddTheRangeAndEveryRun() {
        List<Measurement> all = List.of(
                run(1, Subject.BRAID, Direction.LEFT_TO_RIGHT, 300, 10.0),
                run(2, Subject.BRAID, Direction.LEFT_TO_RIGHT, 500, 10.0));
        String md = new SinglePathReport(MACHINE, 10, 2, 2, "-", "cmd", all).markdown();
        assertThat(md).contains("| braid | left → right | 400 | 300–500 |").contains("## Every run")
                .contains("| 2 | braid | left → right | 500 | 2 |");
    }

    @Test
    void receivedBytesComeFromTheReceiverSummary() {
        String json = """
                {"end": {"sum_sent": {"bytes": 111, "bits_per_second": 8.0},
                         "sum_received": {"start": 0, "end": 10.0, "seconds": 10.0, "bytes": 222, "bits_per_second": 7.0}}}""";
        assertThat(ThroughputRun.receivedBytes(json)).hasValue(222L);
        assertThat(ThroughputRun.receivedBytes("{\"end\": {}}")).isEmpty();
    }
}
