package net.braid.cli.interpose;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.braid.cli.control.ControlStatus;
import net.braid.interpose.FlowInfo;
import net.braid.interpose.FlowKey;
import net.braid.packet.AddressPair;
import org.junit.jupiter.api.Test;

class InterposeStatusLinesTest {
    private static final FlowKey TCP = new FlowKey(6, AddressPair.of("198.19.250.1", "198.18.1.2"), 40000, 80);
    private static final FlowKey UDP = new FlowKey(17, AddressPair.of("2001:db8::1", "2001:db8:1::2"), 5353, 53);

    private static String text() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("packets_in", 1234L);
        counters.put("malformed", 0L);
        counters.put("resets_for_unknown", 2L);
        return InterposeStatusLines.of("braidip1", "198.18.0.1:4433", "connected over HTTP/3", counters, List.of(
                new FlowInfo(TCP, "ESTABLISHED", 517, 3 << 20, 4, "open,got-end"),
                new FlowInfo(UDP, "OPEN", 40, 120, 0, "open")));
    }

    @Test
    void linesCarryCountersAndOneLinePerFlow() {
        assertThat(text()).isEqualTo("""
                interpose=braidip1
                proxy=198.18.0.1:4433
                connection=connected over HTTP/3
                tcp_flows=1
                udp_flows=1
                packets_in=1234
                malformed=0
                resets_for_unknown=2
                flow=tcp 198.19.250.1:40000 -> 198.18.1.2:80 state=ESTABLISHED from_app=517 to_app=3145728 retransmits=4 upstream=open,got-end
                flow=udp [2001:db8:0:0:0:0:0:1]:5353 -> [2001:db8:1:0:0:0:0:2]:53 state=OPEN from_app=40 to_app=120 retransmits=0 upstream=open
                """);
        assertThat(InterposeStatusLines.flows(text())).hasSize(2);
        assertThat(InterposeStatusLines.parse(text())).containsEntry("udp_flows", "1").doesNotContainKey("flow");
    }

    @Test
    void braidShowRendersAnInterposeSocketAsFlows() {
        String shown = ControlStatus.render(text(), Instant.now());
        assertThat(shown).startsWith("interpose: braidip1\n")
                .contains("  proxy: 198.18.0.1:4433 (connected over HTTP/3)\n")
                .contains("  flows: 1 tcp, 1 udp\n")
                .contains("  dropped or refused: resets for unknown 2\n")
                .contains("  tcp 198.19.250.1:40000 -> 198.18.1.2:80  ESTABLISHED, from app 517 B, to app 3.00 MiB, retransmits 4, upstream open,got-end\n")
                .contains("  udp [2001:db8:0:0:0:0:0:1]:5353 -> [2001:db8:1:0:0:0:0:2]:53  OPEN, from app 40 B, to app 120 B, retransmits 0, upstream open\n");
        assertThat(InterposeStatusLines.isInterpose("interface=braid0\n")).isFalse();
    }
}
