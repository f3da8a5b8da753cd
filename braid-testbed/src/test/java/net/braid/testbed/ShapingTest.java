package net.braid.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ShapingTest {
    @Test
    void bucketHoldsTenMillisecondsOfTraffic() {
        Shaping shaping = Shaping.forRate(50_000_000);
        assertThat(shaping.burstBytes()).isEqualTo(62_500);
        assertThat(shaping.latency()).isEqualTo(Duration.ofMillis(50));
        assertThat(shaping.tbfArguments()).containsExactly("tbf", "rate", "50000000bit", "burst", "62500", "latency", "50000us");
    }

    @Test
    void slowLinksStillPassFullSizeFrames() {
        assertThat(Shaping.forRate(1_000_000).burstBytes()).isEqualTo(3028);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> Shaping.forRate(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Shaping(1_000_000, 100, Duration.ofMillis(10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Shaping(1_000_000, 5000, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
