package net.braid.packet;

import static net.braid.packet.Captures.buffer;
import static net.braid.packet.Captures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TcpSegmentTest {
    private static final AddressPair V4 = new AddressPair.V4(Captures.ADDR1_V4, Captures.ADDR2_V4);
    private static final AddressPair V6 = new AddressPair.V6(Captures.DOC_PREFIX, 1, Captures.DOC_PREFIX, 2);

    @Test
    void readsACapturedSynInPlace() {
        ByteBuffer b = buffer(Captures.SYN4);
        assertThat(TcpHeader.validate(b, 20, 40)).isEqualTo(DropReason.NONE);
        assertThat(TcpHeader.srcPort(b, 20)).isEqualTo(0xe258);
        assertThat(TcpHeader.dstPort(b, 20)).isEqualTo(9);
        assertThat(TcpHeader.seq(b, 20)).isEqualTo(0xc090bb8eL);
        assertThat(TcpHeader.ack(b, 20)).isZero();
        assertThat(TcpHeader.headerLength(b, 20)).isEqualTo(40);
        assertThat(TcpHeader.flags(b, 20)).isEqualTo(TcpHeader.SYN);
        assertThat(TcpHeader.has(b, 20, TcpHeader.ACK)).isFalse();
        assertThat(TcpHeader.window(b, 20)).isEqualTo(64240);
        assertThat(TcpHeader.checksum(b, 20)).isEqualTo(0x9181);
        assertThat(TcpHeader.urgentPointer(b, 20)).isZero();
        assertThat(TcpOptions.find(b, 40, 60, TcpOptions.KIND_WINDOW_SCALE)).isEqualTo(57);
        assertThat(TcpOptions.find(b, 40, 60, TcpOptions.KIND_SACK)).isEqualTo(-1);
    }

    @Test
    void parsesCapturedSynsAndRsts() throws Exception {
        ByteBuffer syn = buffer(Captures.SYN4);
        assertThat(TcpSegment.parse(syn, 0, syn.capacity())).isEqualTo(new TcpSegment(V4, 0xe258, 9, 0xc090bb8eL, 0,
                TcpHeader.SYN, 64240, 0, TcpOptions.syn(1460, 10, true, 2719755973L), new byte[0]));
        ByteBuffer syn6 = buffer(Captures.SYN6);
        assertThat(TcpSegment.parse(syn6, 0, syn6.capacity())).isEqualTo(new TcpSegment(V6, 0xb462, 9, 0x2ecb4c44L, 0,
                TcpHeader.SYN, 64800, 0, TcpOptions.syn(1440, 10, true, 575732011L), new byte[0]));
        ByteBuffer rst = buffer(Captures.RST4);
        assertThat(TcpSegment.parse(rst, 0, rst.capacity())).isEqualTo(new TcpSegment(V4.reversed(), 9, 0xe258, 0,
                0xc090bb8fL, TcpHeader.RST | TcpHeader.ACK, 0, 0, TcpOptions.NONE, new byte[0]));
    }

    @Test
    void writeReproducesCapturedSegmentsByteForByte() throws Exception {
        // Linux sends RSTs with DF and identification 0, exactly what AddressPair.V4 writes.
        ByteBuffer rst = buffer(Captures.RST4);
        ByteBuffer out = ByteBuffer.allocate(80);
        int n = TcpSegment.parse(rst, 0, rst.capacity()).write(out, 0, 64);
        assertThat(hex(out, 0, n)).isEqualTo(Captures.RST4);

        // The SYN's TCP bytes, options laid out as Linux does, checksum included.
        ByteBuffer syn = buffer(Captures.SYN4);
        n = TcpSegment.parse(syn, 0, syn.capacity()).write(out, 0, 64);
        assertThat(hex(out, 20, n - 20)).isEqualTo(Captures.SYN4.substring(40));

        ByteBuffer rst6 = buffer(Captures.RST6);
        n = TcpSegment.parse(rst6, 0, rst6.capacity()).write(out, 0, 64);
        assertThat(hex(out, 4, n - 4)).isEqualTo(Captures.RST6.substring(8));
    }

    @Test
    void segmentWithPayloadAndSackBlocks() throws Exception {
        var opts = new TcpOptions(-1, -1, false, true, 7, 9,
                List.of(new TcpOptions.SackBlock(1000, 2000), new TcpOptions.SackBlock(3000, 4000)));
        var s = new TcpSegment(V6, 443, 50000, 0xFFFFFFFFL, 1, TcpHeader.ACK | TcpHeader.PSH, 512, 0, opts, new byte[] {1, 2, 3});
        ByteBuffer b = ByteBuffer.allocate(s.length());
        s.write(b, 0, 64);
        assertThat(TcpHeader.headerLength(b, 40)).isEqualTo(20 + 12 + 20);
        assertThat(hex(b, 60, 32)).isEqualTo("0101080a0000000700000009" + "01010512" + "000003e8000007d0" + "00000bb800000fa0");
        assertThat(TcpSegment.parse(b, 0, b.capacity())).isEqualTo(s);
    }

    @Test
    void clampMssPatchesTheChecksum() {
        ByteBuffer b = buffer(Captures.SYN4);
        assertThat(TcpHeader.clampMss(b, 20, 1500)).isFalse();
        assertThat(TcpHeader.clampMss(b, 20, 1360)).isTrue();
        assertThat(NetworkOrder.u16(b, 42)).isEqualTo(1360);
        assertThat(IpPacket.validateTransport(b, 0, b.capacity())).isEqualTo(DropReason.NONE);
    }

    @Test
    void clampMssAtAnOddOptionOffset() {
        // NOP, then MSS at an odd offset: the value straddles two checksum words.
        ByteBuffer b = ByteBuffer.allocate(48);
        V4.writeHeader(b, 0, IpProtocol.TCP, 28, 64);
        TcpHeader.write(b, 20, 1, 2, 0, 0, 28, TcpHeader.SYN, 100, 0);
        b.put(40, Captures.bytes("01020405b4000000"));
        TransportChecksum.fill(b, 0, IpProtocol.TCP, 20, 28);
        assertThat(TcpHeader.clampMss(b, 20, 1200)).isTrue();
        assertThat(NetworkOrder.u16(b, 43)).isEqualTo(1200);
        assertThat(IpPacket.validateTransport(b, 0, 48)).isEqualTo(DropReason.NONE);
    }

    @Test
    void clampMssIgnoresNonSyns() {
        ByteBuffer b = buffer(Captures.RST4);
        assertThat(TcpHeader.clampMss(b, 20, 100)).isFalse();
    }

    @Test
    void refusesBadHeaders() {
        ByteBuffer b = buffer(Captures.SYN4);
        b.put(32, (byte) 0x40);
        assertThat(TcpHeader.validate(b, 20, 40)).isEqualTo(DropReason.BAD_HEADER_LENGTH);
        b.put(32, (byte) 0xb0);
        assertThat(TcpHeader.validate(b, 20, 40)).isEqualTo(DropReason.BAD_HEADER_LENGTH);
        assertThat(TcpHeader.validate(b, 20, 19)).isEqualTo(DropReason.TRUNCATED_HEADER);
        ByteBuffer badOption = buffer(Captures.SYN4);
        badOption.put(41, (byte) 30); // MSS length running past the header
        assertThat(TcpHeader.validate(badOption, 20, 40)).isEqualTo(DropReason.BAD_EXTENSION);
        ByteBuffer corrupt = buffer(Captures.SYN6);
        corrupt.put(44, (byte) 0);
        assertThatThrownBy(() -> TcpSegment.parse(corrupt, 0, corrupt.capacity()))
                .isInstanceOfSatisfying(MalformedPacketException.class, e -> assertThat(e.reason()).isEqualTo(DropReason.BAD_CHECKSUM));
    }

    @Provide
    Arbitrary<TcpOptions> options() {
        Arbitrary<Long> u32 = Arbitraries.longs().between(0, 0xFFFFFFFFL);
        Arbitrary<List<TcpOptions.SackBlock>> blocks = Combinators.combine(u32, u32).as(TcpOptions.SackBlock::new).list().ofMaxSize(3);
        return Combinators.combine(Arbitraries.integers().between(-1, 0xFFFF), Arbitraries.integers().between(-1, 14),
                        Arbitraries.of(true, false), Arbitraries.of(true, false), u32, u32, blocks)
                .as((mss, ws, sackOk, ts, val, ecr, sack) -> {
                    int base = (mss >= 0 ? 4 : 0) + (ts ? 12 : 0) + (sackOk && !ts ? 4 : 0) + (ws >= 0 ? 4 : 0);
                    int room = Math.max(0, (TcpOptions.MAX_LENGTH - base - 4) / 8);
                    return new TcpOptions(mss, ws, sackOk, ts, ts ? val : 0, ts ? ecr : 0,
                            sack.subList(0, Math.min(room, sack.size())));
                });
    }

    @Property
    void optionsRoundTrip(@ForAll("options") TcpOptions o) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(TcpOptions.MAX_LENGTH);
        assertThat(o.write(b, 0)).isEqualTo(o.length());
        assertThat(o.length() % 4).isZero();
        assertThat(TcpOptions.wellFormed(b, 0, o.length())).isTrue();
        assertThat(TcpOptions.parse(b, 0, o.length())).isEqualTo(o);
    }

    @Property
    void segmentsRoundTrip(@ForAll boolean v6, @ForAll("options") TcpOptions o, @ForAll @IntRange(max = 0xFF) int flags,
                           @ForAll @IntRange(max = 0xFFFF) int window, @ForAll @Size(max = 1400) byte[] payload,
                           @ForAll int seq, @ForAll int ack) throws Exception {
        AddressPair ips = v6 ? V6 : V4;
        var s = new TcpSegment(ips, 1234, 80, seq & 0xFFFFFFFFL, ack & 0xFFFFFFFFL, flags, window, 7, o, payload);
        ByteBuffer b = ByteBuffer.allocate(s.length() + 10);
        assertThat(s.write(b, 5, 64)).isEqualTo(s.length());
        assertThat(TcpSegment.parse(b, 5, s.length())).isEqualTo(s);
    }
}
