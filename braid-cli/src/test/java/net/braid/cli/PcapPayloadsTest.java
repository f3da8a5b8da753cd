package net.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PcapPayloadsTest {
    private static final HexFormat HEX = HexFormat.of();

    // One Ethernet frame: IPv4 198.18.0.1 -> 198.18.0.2, UDP 40000 -> 51820, payload 04 00 00 00 aa bb.
    private static final String IPV4_UDP_FRAME = "020000000002" + "020000000001" + "0800"
            + "4500002200000000" + "4011" + "0000" + "c6120001" + "c6120002"
            + "9c40" + "ca6c" + "000e" + "0000" + "04000000aabb";
    // IPv6 2001:db8::1 -> 2001:db8::2, UDP payload 01 02 03.
    private static final String IPV6_UDP_FRAME = "020000000002" + "020000000001" + "86dd"
            + "60000000" + "000b" + "11" + "40"
            + "20010db8000000000000000000000001" + "20010db8000000000000000000000002"
            + "9c40" + "ca6c" + "000b" + "0000" + "010203";
    // ARP: not IP, skipped.
    private static final String ARP_FRAME = "ffffffffffff" + "020000000001" + "0806" + "0001080006040001";

    @Test
    void readsUdpPayloadsOfIpv4AndIpv6FramesInEitherByteOrder() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            byte[] file = pcap(order, IPV4_UDP_FRAME, ARP_FRAME, IPV6_UDP_FRAME);
            var payloads = PcapPayloads.read(file);
            assertThat(payloads).hasSize(2);
            assertThat(HEX.formatHex(payloads.get(0))).isEqualTo("04000000aabb");
            assertThat(HEX.formatHex(payloads.get(1))).isEqualTo("010203");
        }
    }

    @Test
    void skipsTornLastRecordAndRejectsOtherFiles() {
        byte[] file = pcap(ByteOrder.LITTLE_ENDIAN, IPV4_UDP_FRAME, IPV4_UDP_FRAME);
        byte[] torn = java.util.Arrays.copyOf(file, file.length - 3);
        assertThat(PcapPayloads.read(torn)).hasSize(1);
        assertThatThrownBy(() -> PcapPayloads.read(new byte[24])).hasMessageContaining("not a pcap file");
    }

    private static byte[] pcap(ByteOrder order, String... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer global = ByteBuffer.allocate(24).order(order);
        global.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144).putInt(1);
        out.writeBytes(global.array());
        for (String hex : frames) {
            byte[] frame = HEX.parseHex(hex);
            ByteBuffer record = ByteBuffer.allocate(16).order(order);
            record.putInt(1).putInt(0).putInt(frame.length).putInt(frame.length);
            out.writeBytes(record.array());
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }
}
