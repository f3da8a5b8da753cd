package net.braid.interpose;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.braid.packet.AddressPair;
import net.braid.packet.IpPacket;
import net.braid.packet.IpProtocol;
import net.braid.packet.TcpOptions;
import net.braid.packet.TcpSegment;
import net.braid.packet.UdpDatagram;
import net.braid.testing.SteadyAllocation;
import org.junit.jupiter.api.Test;

class FlowTableTest {
    private static final AddressPair V4 = AddressPair.of("198.18.0.2", "198.19.1.1");
    private static final AddressPair V4_OTHER_DST = AddressPair.of("198.18.0.2", "198.19.1.2");
    private static final AddressPair V6 = AddressPair.of("2001:db8::2", "2001:db8:1::1");

    private static ByteBuffer tcp(AddressPair a, int srcPort, int dstPort) {
        var seg = new TcpSegment(a, srcPort, dstPort, 1, 0, 0x10, 1000, 0, TcpOptions.NONE, new byte[0]);
        ByteBuffer b = ByteBuffer.allocate(seg.length());
        seg.write(b, 0, 64);
        return b;
    }

    private static ByteBuffer udp(AddressPair a, int srcPort, int dstPort) {
        ByteBuffer b = ByteBuffer.allocate(1500);
        int n = UdpDatagram.write(b, 0, a, 64, srcPort, dstPort, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        return b.limit(n);
    }

    private static <V> V find(FlowTable<V> t, ByteBuffer b) {
        return t.find(b, 0, IpPacket.upperLayer(b, 0, b.limit()));
    }

    private static FlowKey key(ByteBuffer b) {
        return FlowKey.of(b, 0, IpPacket.upperLayer(b, 0, b.limit()));
    }

    @Test
    void aPacketFindsTheFlowOfItsWholeFiveTupleOnly() {
        FlowTable<String> t = new FlowTable<>(42);
        ByteBuffer a = tcp(V4, 40000, 443);
        t.put(key(a), "a");
        t.put(key(tcp(V6, 40000, 443)), "v6");
        t.put(key(udp(V4, 40000, 443)), "udp");
        assertThat(find(t, a)).isEqualTo("a");
        assertThat(find(t, tcp(V6, 40000, 443))).isEqualTo("v6");
        assertThat(find(t, udp(V4, 40000, 443))).isEqualTo("udp");
        assertThat(find(t, tcp(V4, 40001, 443))).as("other source port").isNull();
        assertThat(find(t, tcp(V4, 40000, 444))).as("other destination port").isNull();
        assertThat(find(t, tcp(V4_OTHER_DST, 40000, 443))).as("other destination").isNull();
        assertThat(find(t, tcp(V4.reversed(), 40000, 443))).as("reversed addresses").isNull();
        assertThat(t.size()).isEqualTo(3);
    }

    @Test
    void flowsSurviveGrowthAndRemovalTakesOnlyTheFlowGiven() {
        FlowTable<Integer> t = new FlowTable<>(7);
        for (int port = 1; port <= 3000; port++) t.put(key(tcp(port % 2 == 0 ? V4 : V6, port, 80)), port);
        assertThat(t.size()).isEqualTo(3000);
        for (int port = 1; port <= 3000; port++) assertThat(find(t, tcp(port % 2 == 0 ? V4 : V6, port, 80))).isEqualTo(port);
        FlowKey k = key(tcp(V4, 10, 80));
        assertThat(t.remove(k, 11)).as("another flow's value").isFalse();
        assertThat(t.remove(k, t.get(k))).isTrue();
        assertThat(find(t, tcp(V4, 10, 80))).isNull();
        assertThat(t.remove(k, 10)).isFalse();
        t.put(k, 99);
        t.put(k, 100);
        assertThat(t.get(k)).isEqualTo(100);
        assertThat(t.size()).isEqualTo(3000);
        List<Integer> all = new ArrayList<>();
        t.values(all);
        assertThat(all).hasSize(3000).contains(100).doesNotContain(10);
        assertThat(key(tcp(V4, 10, 80)).protocol()).isEqualTo(IpProtocol.TCP);
    }

    @Test
    void findingAFlowAllocatesNothing() {
        FlowTable<String> t = new FlowTable<>(1);
        List<ByteBuffer> packets = new ArrayList<>();
        for (int port = 1; port <= 100; port++) {
            ByteBuffer p = port % 3 == 0 ? udp(V6, port, 53) : tcp(port % 2 == 0 ? V4 : V6, port, 443);
            t.put(key(p), "flow" + port);
            packets.add(p);
        }
        long[] found = new long[1];
        SteadyAllocation.assertAllocatesNothing("flow lookups", 10_000, () -> {
            for (int i = 0; i < 100; i++) {
                for (int j = 0; j < packets.size(); j++) if (find(t, packets.get(j)) != null) found[0]++;
            }
        });
        assertThat(found[0]).isPositive();
    }
}
