package net.braid.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The tests' own packet builder must be right, or the TUN tests prove nothing. */
class TestPacketsTest {
    @Test
    void ipv4HeaderChecksumMatchesRfc1071Example() throws Exception {
        // Header from a well-known capture: checksum of 45000073 0000 4000 4011 ???? c0a80001 c0a800c7 is b861.
        byte[] header = HexFormat.of().parseHex("450000730000400040110000c0a80001c0a800c7");
        assertThat(~TestPackets.onesComplementSum(header, 0, 20, 0) & 0xffff).isEqualTo(0xb861);
    }

    @Test
    void builtPacketsVerifyAndParse() throws Exception {
        var src = (Inet4Address) InetAddress.getByName("198.18.0.2");
        var dst = (Inet4Address) InetAddress.getByName("198.18.0.1");
        byte[] p = TestPackets.udp4(src, 7, dst, 9, new byte[] {1, 2, 3});
        assertThat(TestPackets.onesComplementSum(p, 0, 20, 0)).isEqualTo(0xffff);
        assertThat(TestPackets.udpPayloadTo(ByteBuffer.wrap(p), dst, 9)).containsExactly(1, 2, 3);
        assertThat(TestPackets.udpPayloadTo(ByteBuffer.wrap(p), dst, 10)).isNull();
    }
}
