package net.braid.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Fixtures are real iperf3 3.12 reports, taken inside a namespace on this machine. */
class Iperf3ResultTest {
    @Test
    void readsTcpReceiverRateAndRetransmits() throws IOException {
        Iperf3Result result = Iperf3Result.parse(fixture("iperf3-tcp.json"));
        assertThat(result.protocol()).isEqualTo("TCP");
        assertThat(result.sentBitsPerSecond()).isCloseTo(36551458684.14843, within(1e-3));
        assertThat(result.receivedBitsPerSecond()).isPositive().isLessThanOrEqualTo(result.sentBitsPerSecond());
        assertThat(result.retransmits()).isEqualTo(1);
        assertThat(result.lostPercent()).isZero();
    }

    @Test
    void readsUdpLossAndJitter() throws IOException {
        Iperf3Result result = Iperf3Result.parse(fixture("iperf3-udp.json"));
        assertThat(result.protocol()).isEqualTo("UDP");
        assertThat(result.receivedBitsPerSecond()).isCloseTo(10221857.840451442, within(1e-6));
        assertThat(result.sentBitsPerSecond()).isCloseTo(10222532.411564374, within(1e-6));
        assertThat(result.lostPercent()).isZero();
        assertThat(result.jitterMs()).isCloseTo(0.0057297093086208515, within(1e-12));
        assertThat(result.retransmits()).isZero();
        assertThat(result.receivedMbps()).isCloseTo(10.22, within(0.01));
    }

    @Test
    void reportedErrorBecomesAnException() throws IOException {
        String json = fixture("iperf3-error.json");
        assertThatThrownBy(() -> Iperf3Result.parse(json))
                .isInstanceOf(TestbedException.class)
                .hasMessageContaining("unable to connect to server: Network is unreachable");
    }

    @Test
    void garbageIsReportedWithWhatWasPrinted() {
        assertThatThrownBy(() -> Iperf3Result.parse("iperf3: error - unable to connect"))
                .isInstanceOf(TestbedException.class).hasMessageContaining("unable to connect");
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = Iperf3ResultTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
