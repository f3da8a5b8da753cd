package net.braid.cli.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ControlStatusTest {
    private static final String TEXT = """
            interface=braid0
            public_key=AAAA
            listen_port=51820
            dropped_junk=3
            dropped_replayed=0
            peer=BBBB
            endpoint=198.18.0.2:51820
            allowed_ips=198.19.200.2/32
            last_handshake=1000
            rx_bytes=2048
            tx_bytes=10
            path.1.endpoint=198.18.0.2:51820
            path.1.metric=0
            path.1.state=UP
            path.1.srtt_us=1500
            path.1.min_rtt_us=400
            path.1.cwnd_bytes=65536
            path.1.inflight_bytes=2048
            path.1.pacing_bps=80000000
            path.1.delivery_bps=40000000
            path.1.lost_packets=2
            path.1.late_packets=7
            path.1.rx_bytes=1024
            path.1.tx_bytes=5
            path.2.endpoint=
            path.2.metric=1
            path.2.state=DOWN
            path.2.srtt_us=0
            path.2.cwnd_bytes=5600
            path.2.pacing_bps=0
            path.2.delivery_bps=0
            path.2.lost_packets=0
            path.2.rx_bytes=0
            path.2.tx_bytes=0
            reorder.timeout_us=3500
            reorder.held_packets=4
            reorder.waited=120
            reorder.timed_out=9
            reorder.capped=0
            reorder.late=7
            """;

    @Test
    void rendersPeersDropsAndEveryPath() {
        String out = ControlStatus.render(TEXT, Instant.ofEpochMilli(61_000));
        assertThat(out).contains("interface: braid0", "dropped: junk 3", "peer: BBBB", "latest handshake: 1 minutes, 0 seconds ago",
                "transfer: 2.00 KiB received, 10 B sent");
        assertThat(out).contains("path 1: UP, 198.18.0.2:51820, metric 0", "rtt 1.5 ms (min 0.4 ms), cwnd 64.00 KiB");
        assertThat(out).contains("path 2: DOWN, (endpoint not known yet), metric 1");
    }

    @Test
    void rendersMinRttInFlightLateAndTheReorderStage() {
        String out = ControlStatus.render(TEXT, Instant.ofEpochMilli(61_000));
        assertThat(out).contains("rtt 1.5 ms (min 0.4 ms), cwnd 64.00 KiB, in flight 2.00 KiB, rate 40.0 Mbit/s, lost 2 packets, late 7,");
        assertThat(out).contains("reorder: wait 3.5 ms, holding 4, gaps filled 120, timed out 9, capped 0, late 7");
        // path 2 is written as an older portal writes it: without the newer keys, and still rendered
        assertThat(out).contains("rtt 0.0 ms, cwnd 5.47 KiB, rate 0 kbit/s, lost 0 packets, transfer");
    }

    @Test
    void parsesOneBlockPerPeer() {
        var blocks = ControlStatus.parse(TEXT);
        assertThat(blocks).hasSize(2);
        assertThat(blocks.get(1)).containsEntry("path.2.state", "DOWN");
    }
}
