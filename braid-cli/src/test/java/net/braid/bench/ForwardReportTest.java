package net.braid.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.braid.bench.ForwardCase.Carrier;
import org.junit.jupiter.api.Test;

class ForwardReportTest {
    private static final Machine MACHINE = new Machine("2026-01-01 00:00 UTC", 2, "AMD EPYC", "Linux 6.1", "JDK 25",
            "unknown", "iperf 3.12", "abc1234", "0.10 0.20 0.30");

    private static ForwardReport report(List<ForwardResult> results) {
        return new ForwardReport(MACHINE, 5, 1, "0.5 0.4 0.3", "sudo bench/forward", results);
    }

    @Test
    void ratiosCompareWithTheSameMtusDefaultRows() {
        ForwardResult quic1500 = ForwardResult.measured(ForwardCase.of(Carrier.QUIC, 1500), 400, 0);
        ForwardResult payload1200 = ForwardResult.measured(ForwardCase.quic(1500, 1200), 300, 0);
        ForwardResult quic1200 = ForwardResult.measured(ForwardCase.of(Carrier.QUIC, 1200), 100, 0);
        ForwardReport r = report(List.of(
                ForwardResult.measured(ForwardCase.of(Carrier.DIRECT, 1500), 8000, 0),
                ForwardResult.measured(ForwardCase.of(Carrier.TCP, 1500), 1000, 3),
                quic1500, payload1200,
                ForwardResult.measured(ForwardCase.of(Carrier.DIRECT, 1200), 4000, 0),
                ForwardResult.measured(ForwardCase.of(Carrier.TCP, 1200), 500, 0),
                quic1200));
        assertThat(r.ratio(quic1500, Carrier.TCP)).hasValueSatisfying(v -> assertThat(v).isCloseTo(0.4, within(1e-9)));
        assertThat(r.ratio(quic1500, Carrier.DIRECT)).hasValueSatisfying(v -> assertThat(v).isCloseTo(0.05, within(1e-9)));
        assertThat(r.ratio(payload1200, Carrier.TCP)).hasValueSatisfying(v -> assertThat(v).isCloseTo(0.3, within(1e-9)));
        assertThat(r.ratio(quic1200, Carrier.TCP)).hasValueSatisfying(v -> assertThat(v).isCloseTo(0.2, within(1e-9)));
        assertThat(r.targetRatio()).hasValueSatisfying(v -> assertThat(v).isCloseTo(0.4, within(1e-9)));
        assertThat(r.verdict()).contains("met").doesNotContain("NOT");
    }

    @Test
    void targetIsNotMetBelowAThirdOrWhenACaseFailed() {
        ForwardResult tcp = ForwardResult.measured(ForwardCase.of(Carrier.TCP, 1500), 1000, 0);
        assertThat(report(List.of(tcp, ForwardResult.measured(ForwardCase.of(Carrier.QUIC, 1500), 300, 0))).verdict())
                .contains("0.300").contains("NOT met");
        ForwardReport failed = report(List.of(tcp, ForwardResult.failed(ForwardCase.of(Carrier.QUIC, 1500), "refused")));
        assertThat(failed.targetRatio()).isEmpty();
        assertThat(failed.verdict()).contains("NOT met");
        assertThat(failed.markdown()).contains("failed: refused").contains("sudo bench/forward");
    }

    @Test
    void casesCoverEveryCarrierAtBothMtusAndThreePayloads() {
        List<ForwardCase> cases = Forward.cases();
        for (Carrier c : Carrier.values()) {
            assertThat(cases).contains(ForwardCase.of(c, 1500), ForwardCase.of(c, 1200));
        }
        assertThat(cases).contains(ForwardCase.quic(1500, 1200), ForwardCase.quic(1500, 1350), ForwardCase.quic(1500, 1452));
    }
}
