package net.braid.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.braid.bench.InterposeReport.Download;
import org.junit.jupiter.api.Test;

class InterposeReportTest {
    private static final Machine MACHINE = new Machine("2026-01-01 00:00 UTC", 2, "AMD EPYC", "Linux 6.1", "JDK 25",
            "unknown", "iperf 3.12", "abc1234", "9.00 8.00 7.00");
    private static final long MB100 = 100_000_000L;

    private static InterposeReport report(List<Download> downloads) {
        return new InterposeReport(MACHINE, 3, "9.00 8.00 7.00", "10.0 9.0 8.0", "sudo bench/interpose", downloads, List.of());
    }

    @Test
    void ratioIsTheMedianInterposedTimeOverTheMedianDirectTime() {
        InterposeReport r = report(List.of(
                Download.of("direct", MB100, 0.4, "9"), Download.of("h3", MB100, 0.5, "9").withCpu(new InterposeReport.Cpu(0.45, 0.3)),
                Download.of("direct", MB100, 0.2, "9"), Download.of("h3", MB100, 9.0, "9"),
                Download.of("direct", MB100, 0.5, "9"), Download.of("h3", MB100, 0.48, "9"),
                Download.of("direct", 10_000, 0.001, "9"), Download.of("h3", 10_000, 0.004, "9")));
        assertThat(r.median("direct", MB100)).hasValueSatisfying(v -> assertThat(v).isCloseTo(0.4, within(1e-9)));
        assertThat(r.ratio("h3", MB100)).hasValueSatisfying(v -> assertThat(v).isCloseTo(1.25, within(1e-9)));
        assertThat(r.ratio("h3", 10_000)).hasValueSatisfying(v -> assertThat(v).isCloseTo(4.0, within(1e-9)));
        assertThat(r.sizes()).containsExactly(10_000L, MB100);
        assertThat(r.verdict()).isEqualTo("100 MB: h3 1.25× of direct — target ≤ 1.3× met");
        assertThat(r.markdown()).contains("| 100 MB | 400 ms, 2000 Mbit/s | 500 ms, 1600 Mbit/s, 1.25× |")
                .contains("at the start: 9.00 8.00 7.00; at the end: 10.0 9.0 8.0")
                .contains("| h3 | 500 ms | 450 ms (0.90 cores) | 300 ms (0.60 cores) |")
                .contains("h3        100 MB 0.5000 9 0.450 0.300\n");
    }

    @Test
    void aFailedDownloadOfTheLargestSizeMissesTheTarget() {
        InterposeReport r = report(List.of(
                Download.of("direct", MB100, 1.0, "9"), Download.of("h2", MB100, 1.1, "9"),
                Download.failed("h2", MB100, "9"), Download.of("h3", MB100, 2.0, "9")));
        assertThat(r.ways()).containsExactly("direct", "h2", "h3");
        assertThat(r.failures("h2", MB100)).isEqualTo(1);
        assertThat(r.verdict()).contains("h2 1.10× of direct — target ≤ 1.3× **not met**")
                .contains("h3 2.00× of direct — target ≤ 1.3× **not met**");
        assertThat(r.console()).contains("(1 failed)");
    }
}
