package net.braid.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Iperf3ClientTest {
    @Test
    void buildsTheCommandLine() {
        assertThat(Iperf3.client(null, TestRanges.literal("198.18.1.2")).port(5300).seconds(2).reverse().parallel(4).command())
                .endsWith("-c", "198.18.1.2", "-p", "5300", "-t", "2", "-J", "-R", "-P", "4");
        assertThat(Iperf3.client(null, TestRanges.literal("2001:db8:0:1::2")).seconds(1).udp(20_000_000).command())
                .endsWith("-c", "2001:db8:0:1:0:0:0:2", "-p", "5201", "-t", "1", "-J", "-6", "-u", "-b", "20000000");
    }

    @Test
    void refusesTargetsOutsideTheTestRanges() {
        assertThatThrownBy(() -> Iperf3.client(null, TestRanges.literal("10.0.0.1"))).isInstanceOf(TestbedException.class);
    }
}
