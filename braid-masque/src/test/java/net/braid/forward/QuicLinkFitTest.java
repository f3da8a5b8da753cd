package net.braid.forward;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** QuicForwarding.fitLink: QUIC's 1200-byte datagrams on links narrower than they need. */
class QuicLinkFitTest {
    private final QuicTuning configured = QuicTuning.defaults();

    @Test
    void aLinkThatCarries1200ByteDatagramsKeepsTheSettings() {
        assertThat(QuicForwarding.fitLink(configured, 1500, false)).isSameAs(configured);
        assertThat(QuicForwarding.fitLink(configured, 1228, false)).isSameAs(configured); // 1200 + 20 + 8
        assertThat(QuicForwarding.fitLink(configured, 1248, true)).isSameAs(configured); // 1200 + 40 + 8
    }

    @Test
    void aNarrowerLinkGetsUnsegmentedUnprobed1200BytePayloads() {
        assertCutDown(QuicForwarding.fitLink(configured, 1200, false));
        assertCutDown(QuicForwarding.fitLink(configured, 1227, false));
        assertCutDown(QuicForwarding.fitLink(configured, 1247, true));
    }

    private void assertCutDown(QuicTuning fitted) {
        assertThat(fitted.maxUdpPayload()).isEqualTo(1200);
        assertThat(fitted.discoverPmtu()).isFalse();
        assertThat(fitted.segments()).isEqualTo(1);
        assertThat(fitted.gro()).isFalse();
        assertThat(fitted.congestionControl()).isEqualTo(configured.congestionControl());
        assertThat(fitted.maxData()).isEqualTo(configured.maxData());
    }

    @Test
    void anUnknownMtuTrustsTheSettings() {
        assertThat(QuicForwarding.fitLink(configured, -1, false)).isSameAs(configured);
    }
}
