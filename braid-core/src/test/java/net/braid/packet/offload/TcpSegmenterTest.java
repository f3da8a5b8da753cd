package net.braid.packet.offload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import net.braid.packet.InternetChecksum;
import net.braid.packet.IpProtocol;
import net.braid.packet.Ipv4Header;
import net.braid.packet.TcpHeader;
import net.braid.packet.TransportChecksum;
import net.braid.packet.UdpHeader;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Expected segments were computed by an independent Python implementation (struct + RFC 1071
 * sum) of the kernel's tcp_gso_segment rules; the hex below is its output.
 */
class TcpSegmenterTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] TIMESTAMPS = HEX.parseHex("0101080a0001e2400000abcd");

    private static final String[] V4_HEADERS = {
        "450005dc12344000400695c0c6120001c61201029c401451fffffa0001020304809001f68be500000101080a0001e2400000abcd",
        "450005dc12354000400695bfc6120001c61201029c401451ffffffa801020304801001f6578e00000101080a0001e2400000abcd",
        "4500009c1236400040069afec6120001c61201029c4014510000055001020304801801f6e84d00000101080a0001e2400000abcd",
    };
    private static final String[] V6_HEADERS = {
        "612abcde003c064020010db800000000000000000000000120010db800000000000000000000000201bbc350000003e800000007501003e81a5c0000",
        "612abcde003c064020010db800000000000000000000000120010db800000000000000000000000201bbc3500000041000000007501003e839540000",
        "612abcde0028064020010db800000000000000000000000120010db800000000000000000000000201bbc3500000043800000007501103e82c780000",
    };

    private static ByteBuffer[] buffers(int n, int size) {
        ByteBuffer[] out = new ByteBuffer[n];
        for (int i = 0; i < n; i++) out[i] = ByteBuffer.allocate(size);
        return out;
    }

    private static ByteBuffer v4Super() {
        TcpPackets flow = TcpPackets.v4(0xc6120001, 0xc6120102, 40000, 5201);
        return flow.superPacket(0x1234, 0xfffffa00L, 0x01020304L, TcpHeader.ACK | TcpHeader.PSH | TcpHeader.CWR, 502,
                TIMESTAMPS, TcpPackets.pattern(3000, 1), 1448);
    }

    private static ByteBuffer v6Super() {
        TcpPackets flow = TcpPackets.v6(1, 2, 443, 50000);
        return flow.superPacket(0, 1000, 7, TcpHeader.ACK | TcpHeader.FIN, 1000, new byte[0],
                TcpPackets.pattern(100, 7), 40);
    }

    private static void assertSegments(ByteBuffer[] out, String[] headers, byte[] payload, int gsoSize) {
        for (int i = 0; i < headers.length; i++) {
            byte[] expectedHeader = HEX.parseHex(headers[i]);
            byte[] got = new byte[out[i].remaining()];
            out[i].get(0, got);
            assertThat(out[i].position()).isZero();
            assertThat(HEX.formatHex(Arrays.copyOf(got, expectedHeader.length))).as("headers of segment %d", i)
                    .isEqualTo(headers[i]);
            byte[] expectedPayload = Arrays.copyOfRange(payload, i * gsoSize, Math.min(payload.length, (i + 1) * gsoSize));
            assertThat(Arrays.copyOfRange(got, expectedHeader.length, got.length)).isEqualTo(expectedPayload);
        }
    }

    @Test
    void splitsAnIpv4SuperPacketLikeTheKernel() {
        ByteBuffer in = v4Super();
        assertThat(TcpSegmenter.count(in, 0, in.capacity())).isEqualTo(3);
        ByteBuffer[] out = buffers(4, 1500);
        assertThat(TcpSegmenter.segment(in, 0, in.capacity(), 0, out, 0, 4)).isEqualTo(3);
        assertSegments(out, V4_HEADERS, TcpPackets.pattern(3000, 1), 1448);
    }

    @Test
    void splitsAnIpv6SuperPacketLikeTheKernel() {
        ByteBuffer in = v6Super();
        ByteBuffer[] out = buffers(3, 200);
        assertThat(TcpSegmenter.segment(in, 0, in.capacity(), 0, out, 0, 3)).isEqualTo(3);
        assertSegments(out, V6_HEADERS, TcpPackets.pattern(100, 7), 40);
    }

    @Test
    void continuesWhereTheLastCallStopped() {
        ByteBuffer in = v4Super();
        ByteBuffer[] out = buffers(5, 1500);
        assertThat(TcpSegmenter.segment(in, 0, in.capacity(), 0, out, 3, 2)).isEqualTo(2);
        assertThat(TcpSegmenter.segment(in, 0, in.capacity(), 2, out, 0, 3)).isEqualTo(1);
        ByteBuffer[] ordered = {out[3], out[4], out[0]};
        assertSegments(ordered, V4_HEADERS, TcpPackets.pattern(3000, 1), 1448);
        assertThat(TcpSegmenter.segment(in, 0, in.capacity(), 3, out, 0, 1)).isEqualTo(-1);
    }

    @Test
    void readsAtAnOffsetAndLeavesTheInputAlone() {
        ByteBuffer sp = v6Super();
        ByteBuffer in = ByteBuffer.allocate(sp.capacity() + 7);
        in.put(7, sp, 0, sp.capacity());
        byte[] before = in.array().clone();
        ByteBuffer[] out = buffers(3, 200);
        assertThat(TcpSegmenter.segment(in, 7, sp.capacity(), 0, out, 0, 3)).isEqualTo(3);
        assertThat(in.array()).isEqualTo(before);
        assertSegments(out, V6_HEADERS, TcpPackets.pattern(100, 7), 40);
    }

    @Test
    void finishesTheChecksumOfAPacketWithoutGso() {
        // UDP/IPv4 whose checksum field holds the pseudo-header sum, as the kernel leaves CHECKSUM_PARTIAL.
        int len = 20 + 8 + 5;
        ByteBuffer in = ByteBuffer.allocate(10 + len);
        ByteBuffer p = in.slice(10, len);
        Ipv4Header.write(p, 0, 0, len, 1, 0, 64, IpProtocol.UDP, 0xc6120001, 0xc6120002);
        UdpHeader.write(p, 20, 1234, 53, 13);
        p.put(28, "hello".getBytes());
        p.putShort(26, (short) InternetChecksum.pseudoHeader(p, 0, IpProtocol.UDP, 13));
        VirtioNetHeader.write(in, 0, VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 0, 20, 6);

        ByteBuffer[] out = buffers(1, 100);
        assertThat(TcpSegmenter.segment(in, 0, in.capacity(), 0, out, 0, 1)).isEqualTo(1);
        assertThat(out[0].remaining()).isEqualTo(len);
        assertThat(TransportChecksum.valid(out[0], 0, IpProtocol.UDP, 20, 13)).isTrue();
        assertThat(out[0].getShort(26)).isNotZero();
    }

    @Test
    void copiesAPacketThatNeedsNothing() {
        TcpPackets flow = TcpPackets.v4(0xc6120001, 0xc6120102, 1, 2);
        ByteBuffer p = flow.packet(9, 1, 2, TcpHeader.ACK, 100, new byte[0], new byte[] {1, 2, 3});
        ByteBuffer in = ByteBuffer.allocate(10 + p.capacity());
        in.put(10, p, 0, p.capacity());
        ByteBuffer[] out = buffers(1, 100);
        assertThat(TcpSegmenter.segment(in, 0, in.capacity(), 0, out, 0, 1)).isEqualTo(1);
        assertThat(out[0]).isEqualTo(p);
    }

    @Test
    void refusesWhatItCannotSplit() {
        ByteBuffer in = v4Super();
        int len = in.capacity();
        ByteBuffer copy = ByteBuffer.allocate(len);

        copy.put(0, in, 0, len).put(1, (byte) VirtioNetHeader.GSO_UDP_L4);
        assertThat(TcpSegmenter.count(copy, 0, len)).as("USO").isEqualTo(-1);
        copy.put(0, in, 0, len).put(6, (byte) 24);
        assertThat(TcpSegmenter.count(copy, 0, len)).as("csum_start not at the TCP header").isEqualTo(-1);
        copy.put(0, in, 0, len).put(1, (byte) VirtioNetHeader.GSO_TCPV6);
        assertThat(TcpSegmenter.count(copy, 0, len)).as("v6 type on a v4 packet").isEqualTo(-1);
        copy.put(0, in, 0, len).put(4, (byte) 0).put(5, (byte) 0);
        assertThat(TcpSegmenter.count(copy, 0, len)).as("gso_size 0").isEqualTo(-1);
        copy.put(0, in, 0, len).put(0, (byte) 0);
        assertThat(TcpSegmenter.count(copy, 0, len)).as("GSO without NEEDS_CSUM").isEqualTo(-1);
        assertThat(TcpSegmenter.count(in, 0, 40)).as("truncated").isEqualTo(-1);
        assertThat(TcpSegmenter.segment(in, 0, len, 0, buffers(3, 1000), 0, 3)).as("too small buffers").isEqualTo(-1);
    }

    @Property(tries = 3000)
    void neverThrowsOnRandomInput(@ForAll @Size(max = 300) byte[] bytes, @ForAll @IntRange(max = 4) int first,
                                  @ForAll boolean validHeader) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (validHeader && bytes.length > 12) {
            // Past the first checks more often: a plausible header and version nibble.
            VirtioNetHeader.write(in, 0, 1, (bytes[0] & 1) == 1 ? 1 : 4, 0, 1 + (bytes[1] & 63), (bytes[0] & 1) == 1 ? 20 : 40, 16);
            in.put(10, (byte) ((bytes[0] & 1) == 1 ? 0x45 : 0x60));
        }
        ByteBuffer[] out = buffers(3, 200);
        int n = TcpSegmenter.count(in, 0, bytes.length);
        int written = TcpSegmenter.segment(in, 0, bytes.length, first, out, 0, 3);
        assertThat(written).isBetween(-1, 3);
        if (n < 0) assertThat(written).isEqualTo(-1);
    }
}
