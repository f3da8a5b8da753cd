package net.braid.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class PingResultTest {
    @Test
    void readsCountsAndAverage() throws IOException {
        PingResult result = PingResult.parse(Iperf3ResultTest.fixture("ping-v4.txt"));
        assertThat(result).isEqualTo(new PingResult(3, 3, 0.041));
        assertThat(result.allReceived()).isTrue();
        assertThat(result.lossPercent()).isZero();
    }

    @Test
    void partialLoss() throws IOException {
        PingResult result = PingResult.parse(Iperf3ResultTest.fixture("ping-v6-loss.txt"));
        assertThat(result).isEqualTo(new PingResult(4, 1, 0.061));
        assertThat(result.allReceived()).isFalse();
        assertThat(result.lossPercent()).isEqualTo(75.0);
    }

    @Test
    void noRepliesHasNoRtt() throws IOException {
        PingResult result = PingResult.parse(Iperf3ResultTest.fixture("ping-none.txt"));
        assertThat(result.transmitted()).isEqualTo(3);
        assertThat(result.received()).isZero();
        assertThat(result.rttAvgMs()).isNaN();
    }

    @Test
    void outputWithoutStatisticsIsAnError() {
        assertThatThrownBy(() -> PingResult.parse("ping: connect: Network is unreachable\n"))
                .isInstanceOf(TestbedException.class).hasMessageContaining("Network is unreachable");
    }
}
