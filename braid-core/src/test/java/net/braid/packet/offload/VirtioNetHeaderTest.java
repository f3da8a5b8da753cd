package net.braid.packet.offload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class VirtioNetHeaderTest {

    @Test
    void writesTheTenBytesLittleEndian() {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.BIG_ENDIAN); // the buffer's order must not matter
        VirtioNetHeader.write(b, 2, VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4 | VirtioNetHeader.GSO_ECN,
                52, 1448, 20, 16);
        assertThat(HexFormat.of().formatHex(b.array())).isEqualTo("0000" + "01" + "81" + "3400" + "a805" + "1400" + "1000");
    }

    @Test
    void readsWhatTheKernelWrites() {
        // A TCPv6 super-packet header as tun_put_user writes it on x86-64 (hdr_len 74 = 40 + 32 + 2 bytes of data in the linear part).
        ByteBuffer b = ByteBuffer.wrap(HexFormat.of().parseHex("01044a00940528001000"));
        assertThat(VirtioNetHeader.flags(b, 0)).isEqualTo(VirtioNetHeader.F_NEEDS_CSUM);
        assertThat(VirtioNetHeader.gsoType(b, 0)).isEqualTo(VirtioNetHeader.GSO_TCPV6);
        assertThat(VirtioNetHeader.hdrLen(b, 0)).isEqualTo(74);
        assertThat(VirtioNetHeader.gsoSize(b, 0)).isEqualTo(1428);
        assertThat(VirtioNetHeader.csumStart(b, 0)).isEqualTo(40);
        assertThat(VirtioNetHeader.csumOffset(b, 0)).isEqualTo(16);
    }

    @Test
    void noneIsAllZero() {
        ByteBuffer b = ByteBuffer.wrap(HexFormat.of().parseHex("ffffffffffffffffffff"));
        VirtioNetHeader.writeNone(b, 0);
        assertThat(b.array()).containsOnly(0);
    }

    @Test
    void sixteenBitFieldsAreUnsigned() {
        ByteBuffer b = ByteBuffer.allocate(10);
        VirtioNetHeader.write(b, 0, 0, 0, 65535, 65000, 40000, 6);
        assertThat(VirtioNetHeader.hdrLen(b, 0)).isEqualTo(65535);
        assertThat(VirtioNetHeader.gsoSize(b, 0)).isEqualTo(65000);
        assertThat(VirtioNetHeader.csumStart(b, 0)).isEqualTo(40000);
    }
}
