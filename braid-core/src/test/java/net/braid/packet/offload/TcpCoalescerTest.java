package net.braid.packet.offload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.braid.packet.InternetChecksum;
import net.braid.packet.IpProtocol;
import net.braid.packet.Ipv4Header;
import net.braid.packet.TcpHeader;
import net.braid.packet.TransportChecksum;
import net.braid.packet.UdpHeader;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.braid.testing.SteadyAllocation;
import org.junit.jupiter.api.Test;

class TcpCoalescerTest {
    private static final byte[] NO_OPTIONS = new byte[0];
    private static final TcpPackets A = TcpPackets.v4(0xc6120001, 0xc6120102, 40000, 5201);
    private static final TcpPackets B = TcpPackets.v4(0xc6120001, 0xc6120102, 40001, 5201);
    private static final TcpPackets A6 = TcpPackets.v6(1, 2, 443, 50000);

    private final TcpCoalescer coalescer = new TcpCoalescer(64);
    private final ByteBuffer out = ByteBuffer.allocate(TcpCoalescer.MAX_OUTPUT);

    /** Full-size data segments of a flow: i-th has seq base + i * mss, IPv4 ID id + i. */
    private static ByteBuffer data(TcpPackets flow, int i, int mss, int flags) {
        return flow.packet(100 + i, 5000L + (long) i * mss, 77, TcpHeader.ACK | flags, 500, NO_OPTIONS,
                TcpPackets.pattern(mss, i + 1));
    }

    private int[] segmentsPerOutput(ByteBuffer... packets) {
        int n = coalescer.coalesce(packets, packets.length);
        int[] segments = new int[n];
        for (int k = 0; k < n; k++) segments[k] = coalescer.segments(k);
        return segments;
    }

    @Test
    void mergesARunIntoOneSuperPacketTheKernelAccepts() {
        ByteBuffer[] batch = new ByteBuffer[10];
        for (int i = 0; i < 10; i++) batch[i] = data(A, i, 1000, i == 9 ? TcpHeader.PSH : 0);
        assertThat(coalescer.coalesce(batch, 10)).isEqualTo(1);
        int len = coalescer.write(0, out);
        assertThat(len).isEqualTo(10 + 20 + 20 + 10_000);
        assertThat(HexFormat.of().formatHex(out.array(), 0, 10)).isEqualTo("01" + "01" + "2800" + "e803" + "1400" + "1000");

        ByteBuffer p = out.slice(10, len - 10);
        assertThat(Ipv4Header.totalLength(p, 0)).isEqualTo(10_040);
        assertThat(Ipv4Header.identification(p, 0)).isEqualTo(100);
        assertThat(Ipv4Header.checksumValid(p, 0)).isTrue();
        assertThat(TcpHeader.flags(p, 20)).isEqualTo(TcpHeader.ACK | TcpHeader.PSH);
        assertThat(TcpHeader.seq(p, 20)).isEqualTo(5000);
        assertThat(TcpHeader.checksum(p, 20)).isEqualTo(InternetChecksum.pseudoHeader(p, 0, IpProtocol.TCP, 10_020));
        // What the kernel does with CHECKSUM_PARTIAL: sum from csum_start to the end, store the complement.
        TcpHeader.setChecksum(p, 20, InternetChecksum.checksum(p, 20, 10_020));
        assertThat(TransportChecksum.valid(p, 0, IpProtocol.TCP, 20, 10_020)).isTrue();
        for (int i = 0; i < 10; i++) {
            assertThat(p.slice(40 + i * 1000, 1000)).isEqualTo(ByteBuffer.wrap(TcpPackets.pattern(1000, i + 1)));
        }
        assertThat(coalescer.mergedSegments()).isEqualTo(9);
    }

    @Test
    void mergesIpv6() {
        ByteBuffer[] batch = {data(A6, 0, 1200, 0), data(A6, 1, 1200, 0), data(A6, 2, 1200, 0)};
        assertThat(coalescer.coalesce(batch, 3)).isEqualTo(1);
        int len = coalescer.write(0, out);
        assertThat(len).isEqualTo(10 + 40 + 20 + 3600);
        assertThat(VirtioNetHeader.gsoType(out, 0)).isEqualTo(VirtioNetHeader.GSO_TCPV6);
        assertThat(VirtioNetHeader.csumStart(out, 0)).isEqualTo(40);
        assertThat(out.getShort(10 + 4)).isEqualTo((short) 3620);
    }

    @Test
    void aLonePacketGoesOutUnchangedAfterAZeroHeader() {
        ByteBuffer p = data(A, 0, 100, 0);
        assertThat(coalescer.coalesce(new ByteBuffer[] {p}, 1)).isEqualTo(1);
        int len = coalescer.write(0, out);
        assertThat(out.slice(0, 10)).isEqualTo(ByteBuffer.allocate(10));
        assertThat(out.slice(10, len - 10)).isEqualTo(p);
    }

    @Test
    void keepsFlowsApartAndInTheirOrder() {
        assertThat(segmentsPerOutput(data(A, 0, 100, 0), data(B, 0, 100, 0), data(A, 1, 100, 0), data(B, 1, 100, 0)))
                .containsExactly(2, 2);
    }

    @Test
    void followsTheMergeRules() {
        ByteBuffer otherAck = A.packet(101, 5100, 78, TcpHeader.ACK, 500, NO_OPTIONS, new byte[100]);
        assertThat(segmentsPerOutput(data(A, 0, 100, 0), otherAck)).as("ACK number differs").containsExactly(1, 1);

        ByteBuffer fin = A.packet(101, 5100, 77, TcpHeader.ACK | TcpHeader.FIN, 500, NO_OPTIONS, new byte[100]);
        assertThat(segmentsPerOutput(data(A, 0, 100, 0), fin, data(A, 2, 100, 0), data(A, 3, 100, 0)))
                .as("a FIN is not merged and not overtaken").containsExactly(1, 1, 2);

        ByteBuffer pureAck = A.packet(101, 5100, 77, TcpHeader.ACK, 500, NO_OPTIONS, NO_OPTIONS);
        assertThat(segmentsPerOutput(data(A, 0, 100, 0), data(A, 1, 100, 0), pureAck, data(A, 1, 100, 0)))
                .as("no data, no merge").containsExactly(2, 1, 1);

        assertThat(segmentsPerOutput(data(A, 0, 100, 0), data(A, 2, 100, 0))).as("sequence gap").containsExactly(1, 1);

        ByteBuffer shorter = A.packet(101, 5100, 77, TcpHeader.ACK, 500, NO_OPTIONS, new byte[60]);
        ByteBuffer after = A.packet(102, 5160, 77, TcpHeader.ACK, 500, NO_OPTIONS, new byte[100]);
        assertThat(segmentsPerOutput(data(A, 0, 100, 0), shorter, after)).as("a short segment ends the group")
                .containsExactly(2, 1);

        ByteBuffer longer = A.packet(101, 5100, 77, TcpHeader.ACK, 500, NO_OPTIONS, new byte[101]);
        assertThat(segmentsPerOutput(data(A, 0, 100, 0), longer)).as("longer than gso_size").containsExactly(1, 1);

        assertThat(segmentsPerOutput(data(A, 0, 100, TcpHeader.PSH), data(A, 1, 100, 0))).as("PSH ends the group")
                .containsExactly(1, 1);

        ByteBuffer cwr = data(A, 1, 100, TcpHeader.CWR);
        assertThat(segmentsPerOutput(data(A, 0, 100, 0), cwr, data(A, 2, 100, 0))).as("CWR only first")
                .containsExactly(1, 2);

        ByteBuffer ts1 = A.packet(100, 5000, 77, TcpHeader.ACK, 500, HexFormat.of().parseHex("0101080a0000000100000002"), new byte[100]);
        ByteBuffer ts2 = A.packet(101, 5100, 77, TcpHeader.ACK, 500, HexFormat.of().parseHex("0101080a0000000200000002"), new byte[100]);
        assertThat(segmentsPerOutput(ts1, ts2)).as("timestamps differ").containsExactly(1, 1);

        ByteBuffer bad = data(A, 1, 100, 0);
        bad.put(60, (byte) 1);
        assertThat(segmentsPerOutput(data(A, 0, 100, 0), bad)).as("bad checksum").containsExactly(1, 1);

        ByteBuffer udp = udp(0xc6120001, 0xc6120102);
        assertThat(segmentsPerOutput(data(A, 0, 100, 0), udp, data(A, 1, 100, 0)))
                .as("another packet between the same hosts is not overtaken").containsExactly(1, 1, 1);
        assertThat(segmentsPerOutput(data(A, 0, 100, 0), udp(0xc6120005, 0xc6120102), data(A, 1, 100, 0)))
                .as("between other hosts it may be").containsExactly(2, 1);
    }

    @Test
    void ipv4IdentificationMustCountUpUnlessDontFragment() {
        TcpPackets noDf = new TcpPackets(false, 1, 2, 0, 0, 0, 0, 3, 4, 0, 64, false);
        ByteBuffer a = noDf.packet(7, 0, 0, TcpHeader.ACK, 1, NO_OPTIONS, new byte[10]);
        ByteBuffer b = noDf.packet(7, 10, 0, TcpHeader.ACK, 1, NO_OPTIONS, new byte[10]);
        ByteBuffer c = noDf.packet(8, 10, 0, TcpHeader.ACK, 1, NO_OPTIONS, new byte[10]);
        assertThat(segmentsPerOutput(a, b)).containsExactly(1, 1);
        assertThat(segmentsPerOutput(a, c)).containsExactly(2);
        ByteBuffer d = A.packet(0, 0, 0, TcpHeader.ACK, 1, NO_OPTIONS, new byte[10]);
        ByteBuffer e = A.packet(0, 10, 0, TcpHeader.ACK, 1, NO_OPTIONS, new byte[10]);
        assertThat(segmentsPerOutput(d, e)).as("DF: ID is meaningless (RFC 6864)").containsExactly(2);
    }

    @Test
    void staysWithin64KiB() {
        ByteBuffer[] batch = new ByteBuffer[50];
        for (int i = 0; i < 50; i++) batch[i] = data(A, i, 1448, 0);
        assertThat(segmentsPerOutput(batch)).containsExactly(45, 5); // 40 + 45 * 1448 = 65200
        assertThat(coalescer.write(0, out)).isEqualTo(10 + 65_200);
    }

    private static ByteBuffer udp(int src, int dst) {
        ByteBuffer b = ByteBuffer.allocate(30);
        Ipv4Header.write(b, 0, 0, 30, 1, 0, 64, IpProtocol.UDP, src, dst);
        UdpHeader.write(b, 20, 1, 2, 10);
        TransportChecksum.fill(b, 0, IpProtocol.UDP, 20, 10);
        return b;
    }

    /** Segmenting what the coalescer wrote gives back every packet, in its flow's order. */
    @Property(tries = 500)
    void segmentingTheOutputReproducesTheInput(@ForAll long seed) {
        List<ByteBuffer> batch = randomBatch(new Random(seed));
        ByteBuffer[] in = batch.toArray(ByteBuffer[]::new);
        int n = coalescer.coalesce(in, in.length);
        List<ByteBuffer> back = new ArrayList<>();
        int total = 0;
        for (int k = 0; k < n; k++) {
            int len = coalescer.write(k, out);
            int count = TcpSegmenter.count(out, 0, len);
            assertThat(count).isEqualTo(coalescer.segments(k));
            total += count;
            ByteBuffer[] segs = new ByteBuffer[count];
            for (int i = 0; i < count; i++) segs[i] = ByteBuffer.allocate(1600);
            assertThat(TcpSegmenter.segment(out, 0, len, 0, segs, 0, count)).isEqualTo(count);
            back.addAll(List.of(segs));
        }
        assertThat(total).isEqualTo(in.length);
        assertThat(byFlow(back)).isEqualTo(byFlow(batch));
    }

    @Property(tries = 2000)
    void randomPacketsNeverMakeItThrow(@ForAll @Size(max = 8) List<@Size(max = 120) byte[]> packets, @ForAll long seed) {
        Random r = new Random(seed);
        ByteBuffer[] in = new ByteBuffer[packets.size()];
        for (int i = 0; i < in.length; i++) {
            byte[] p = packets.get(i);
            // Half of them get a plausible start: version, IHL, protocol TCP.
            if (p.length > 10 && r.nextBoolean()) {
                p[0] = (byte) (r.nextBoolean() ? 0x45 : 0x60);
                p[9] = IpProtocol.TCP;
                p[6] = IpProtocol.TCP;
            }
            in[i] = ByteBuffer.wrap(p);
        }
        int n = coalescer.coalesce(in, in.length);
        for (int k = 0; k < n; k++) coalescer.write(k, out);
    }

    /** Packets grouped by their flow (hex of version, addresses, protocol, ports), each list in arrival order. */
    private static Map<String, List<String>> byFlow(List<ByteBuffer> packets) {
        Map<String, List<String>> flows = new LinkedHashMap<>();
        HexFormat hex = HexFormat.of();
        for (ByteBuffer p : packets) {
            byte[] bytes = new byte[p.remaining()];
            p.get(p.position(), bytes);
            boolean v4 = (bytes[0] & 0xF0) == 0x40;
            String key = v4 ? hex.formatHex(bytes, 9, 24) : hex.formatHex(bytes, 6, 7) + hex.formatHex(bytes, 8, 44);
            flows.computeIfAbsent(key, x -> new ArrayList<>()).add(hex.formatHex(bytes));
        }
        return flows;
    }

    /** A tunnel's worth of traffic: mostly bulk data of a few flows, with the events that stop a merge. */
    private static List<ByteBuffer> randomBatch(Random r) {
        int flowCount = 1 + r.nextInt(3);
        TcpPackets[] flows = new TcpPackets[flowCount];
        long[] seq = new long[flowCount];
        long[] ack = new long[flowCount];
        int[] id = new int[flowCount];
        int[] mss = new int[flowCount];
        byte[][] options = new byte[flowCount][];
        for (int f = 0; f < flowCount; f++) {
            flows[f] = r.nextBoolean()
                    ? new TcpPackets(false, 0xc6120001, 0xc6120102, 0, 0, 0, 0, 1000 + f, 80, 0, 64, r.nextBoolean())
                    : TcpPackets.v6(1, 2 + f, 1000 + f, 80);
            seq[f] = r.nextLong() & 0xFFFF_FFFFL;
            ack[f] = r.nextLong() & 0xFFFF_FFFFL;
            id[f] = r.nextInt(65536);
            mss[f] = r.nextBoolean() ? 1 + r.nextInt(1400) : 1380;
            options[f] = r.nextBoolean() ? NO_OPTIONS : HexFormat.of().parseHex("0101080a0000000100000002");
        }
        List<ByteBuffer> batch = new ArrayList<>();
        int count = 1 + r.nextInt(64);
        for (int i = 0; i < count; i++) {
            int f = r.nextInt(flowCount);
            int event = r.nextInt(100);
            if (event < 4) {
                batch.add(udp(0xc6120001, 0xc6120102));
                continue;
            }
            int flags = TcpHeader.ACK;
            int length = mss[f];
            if (event < 10) length = r.nextInt(mss[f]);
            else if (event < 14) flags |= TcpHeader.PSH;
            else if (event < 16) flags |= TcpHeader.FIN;
            else if (event < 18) flags |= TcpHeader.CWR | TcpHeader.ECE;
            else if (event < 20) seq[f] += 1 + r.nextInt(5000);
            else if (event < 22) ack[f] += 1;
            else if (event < 24 && options[f].length > 0) options[f][7]++; // a new TSval
            ByteBuffer p = flows[f].packet(id[f]++ & 0xFFFF, seq[f], ack[f], flags, 1000, options[f].clone(),
                    TcpPackets.pattern(length, r.nextInt(255)));
            if (event >= 24 && event < 26) p.put(p.capacity() - 1, (byte) (p.get(p.capacity() - 1) + 1)); // corrupted
            seq[f] = seq[f] + length & 0xFFFF_FFFFL;
            batch.add(p);
        }
        return batch;
    }

    @Test
    void perBatchCallsDoNotAllocate() {
        ByteBuffer[] batch = new ByteBuffer[32];
        for (int i = 0; i < 32; i++) batch[i] = data(i % 3 == 0 ? B : A, i, 1000, 0);
        ByteBuffer[] segs = new ByteBuffer[64];
        for (int i = 0; i < 64; i++) segs[i] = ByteBuffer.allocateDirect(1500);
        ByteBuffer direct = ByteBuffer.allocateDirect(TcpCoalescer.MAX_OUTPUT);
        long[] sink = {0};
        SteadyAllocation.assertAllocatesNothing("batches", 5_000, () -> {
            for (int j = 0; j < 5_000; j++) {
                int n = coalescer.coalesce(batch, 32);
                for (int k = 0; k < n; k++) {
                    int len = coalescer.write(k, direct);
                    sink[0] += TcpSegmenter.segment(direct, 0, len, 0, segs, 0, 64);
                }
            }
        });
        assertThat(sink[0]).isPositive();
    }
}
