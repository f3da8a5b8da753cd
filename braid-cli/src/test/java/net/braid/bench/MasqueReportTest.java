package net.braid.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MasqueReportTest {
    private static final Machine MACHINE = new Machine("2026-01-01 00:00 UTC", 2, "cpu", "Linux", "jdk", "wg", "iperf3", "abc1234", "1.0 1.0 1.0");

    private static MasqueReport report(List<MasqueOverhead> overheads, List<MasqueThroughput> results) {
        return new MasqueReport(MACHINE, 5, 200, "5.0 5.0 5.0", "6.0 6.0 6.0", "sudo bench/masque", overheads, results, List.of("a note"));
    }

    @Test
    void ratiosCompareWithTheBaselineOfTheSameTestAndLink() {
        var direct = MasqueThroughput.measured("200 Mbit/s", Masque.TCP_UP, Masque.DIRECT, Optional.empty(), 190, "");
        var directFast = MasqueThroughput.measured("unlimited", Masque.TCP_UP, Masque.DIRECT, Optional.empty(), 5000, "");
        var ip = MasqueThroughput.measured("200 Mbit/s", Masque.TCP_UP, Masque.CONNECT_IP, Optional.of(Masque.DIRECT), 171, "");
        var udp = MasqueThroughput.failed("200 Mbit/s", Masque.UDP_LOAD, Masque.CONNECT_UDP, Optional.of(Masque.DIRECT), "boom");
        var r = report(List.of(), List.of(direct, directFast, ip, udp));

        assertThat(r.ratio(ip)).hasValueSatisfying(x -> assertThat(x).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9)));
        assertThat(r.ratio(direct)).isEmpty();
        assertThat(r.ratio(udp)).isEmpty();
        assertThat(r.verdicts()).containsExactly(
                "CONNECT-IP, TCP client → server: 0.900 of direct — NOT met",
                "CONNECT-UDP, UDP paced sender, 1200 B: no ratio (a case failed) — NOT met");
        assertThat(r.markdown()).contains("**0.900**").contains("failed: boom").contains("client–proxy link unlimited")
                .contains("before 5.0 5.0 5.0, after 6.0 6.0 6.0").contains("- a note");
    }

    @Test
    void overheadIsJudgedAgainstTheSeedsEstimate() {
        var quic = new MasqueOverhead(Masque.CONNECT_IP, "client → proxy", List.of(100), 10, 43, 43, 28,
                Optional.of(MasqueOverhead.QuicBreakdown.of(43, 20, 100, 0, 0)));
        var braid = new MasqueOverhead(Masque.BRAID_UP, "left → right", List.of(100), 10, 32, 32, 28, Optional.empty());

        String inside = report(List.of(quic, braid), List.of()).markdown();
        assertThat(inside).contains("| CONNECT-IP | client → proxy | 10 | 43 | 43 | **71** | 1 | 20 | 1 | 16 | 1 | 2 | 1 | 1 |")
                .contains("CONNECT-IP client → proxy 71 B, inside the estimate.");
        var big = new MasqueOverhead(Masque.CONNECT_UDP, "proxy → client", List.of(72), 10, 70, 70, 28,
                Optional.of(MasqueOverhead.QuicBreakdown.of(70, 20, 72, 0, 0)));
        assertThat(report(List.of(big), List.of()).markdown()).contains("NOT all inside").contains("(?)");
    }
}
