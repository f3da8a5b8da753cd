package net.braid.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class MasquePcapTest {
    /** A pcap file (little-endian, microseconds, Ethernet) holding {@code frames}, each snapped to {@code snap} bytes. */
    static byte[] pcap(int snap, byte[]... frames) {
        var out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(snap).putInt(1);
        out.writeBytes(header.array());
        for (byte[] frame : frames) {
            int captured = Math.min(snap, frame.length);
            ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            record.putInt(1).putInt(2).putInt(captured).putInt(frame.length);
            out.writeBytes(record.array());
            out.write(frame, 0, captured);
        }
        return out.toByteArray();
    }

    /** Ethernet + IPv4 (no options) + UDP around {@code payload}; {@code flagsOffset} is the IPv4 flags/fragment field. */
    static byte[] udp4(int sourcePort, int destinationPort, byte[] payload, int flagsOffset, int protocol) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + payload.length);
        b.put(new byte[12]).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + payload.length)).putShort((short) 1)
                .putShort((short) flagsOffset).put((byte) 64).put((byte) protocol).putShort((short) 0)
                .put(new byte[] {(byte) 198, 18, 0, 1}).put(new byte[] {(byte) 198, 18, 0, 2});
        b.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) (8 + payload.length)).putShort((short) 0);
        b.put(payload);
        return b.array();
    }

    static byte[] udp4(int sourcePort, int destinationPort, byte[] payload) {
        return udp4(sourcePort, destinationPort, payload, 0x4000, 17); // DF
    }

    @Test
    void readsUdpPayloadLengthsFromTheHeaderEvenWhenSnapped() {
        byte[] big = new byte[1245];
        big[0] = 0x41;
        var capture = MasquePcap.parse(pcap(128, udp4(40000, 4433, big), udp4(4433, 40000, new byte[] {1, 2, 3})));

        assertThat(capture.datagrams()).hasSize(2);
        var first = capture.datagrams().get(0);
        assertThat(first.sourcePort()).isEqualTo(40000);
        assertThat(first.destinationPort()).isEqualTo(4433);
        assertThat(first.payloadLength()).isEqualTo(1245);
        assertThat(first.head()).hasSize(128 - 42).startsWith(0x41);
        assertThat(first.fragment()).isFalse();
        assertThat(capture.datagrams().get(1).head()).containsExactly(1, 2, 3);
    }

    @Test
    void countsFragmentsAndSkipsOtherProtocols() {
        byte[] firstFragment = udp4(40000, 4433, new byte[100], 0x2000, 17); // MF, offset 0
        byte[] laterFragment = udp4(40000, 4433, new byte[100], 0x00b9, 17); // offset 185 × 8
        byte[] tcp = udp4(40000, 4433, new byte[100], 0x4000, 6);
        var capture = MasquePcap.parse(pcap(128, firstFragment, laterFragment, tcp));

        assertThat(capture.datagrams()).singleElement().satisfies(d -> assertThat(d.fragment()).isTrue());
        assertThat(capture.laterFragments()).isEqualTo(1);
    }

    @Test
    void readsBigEndianFilesAndStopsAtACutRecord() {
        byte[] file = pcap(128, udp4(1, 2, new byte[10]), udp4(3, 4, new byte[10]));
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        // Big-endian header and record headers: swap each field.
        ByteBuffer big = ByteBuffer.wrap(file.clone()).order(ByteOrder.BIG_ENDIAN);
        big.putInt(0, b.getInt(0)).putShort(4, b.getShort(4)).putShort(6, b.getShort(6)).putInt(16, b.getInt(16)).putInt(20, b.getInt(20));
        int at = 24;
        for (int i = 0; i < 2; i++) {
            int captured = b.getInt(at + 8);
            for (int f = 0; f < 16; f += 4) big.putInt(at + f, b.getInt(at + f));
            at += 16 + captured;
        }
        byte[] cut = java.util.Arrays.copyOf(big.array(), big.array().length - 5);

        assertThat(MasquePcap.parse(cut).datagrams()).singleElement()
                .satisfies(d -> assertThat(d.sourcePort()).isEqualTo(1));
    }

    @Test
    void refusesWhatIsNotAnEthernetPcap() {
        assertThatThrownBy(() -> MasquePcap.parse(new byte[10])).isInstanceOf(IllegalArgumentException.class);
        byte[] cooked = pcap(128);
        ByteBuffer.wrap(cooked).order(ByteOrder.LITTLE_ENDIAN).putInt(20, 113);
        assertThatThrownBy(() -> MasquePcap.parse(cooked)).hasMessageContaining("113");
        byte[] junk = new byte[24];
        assertThatThrownBy(() -> MasquePcap.parse(junk)).hasMessageContaining("magic");
    }
}
