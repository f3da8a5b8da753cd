package net.braid.packet;

import static net.braid.packet.Captures.buffer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Ipv6ExtensionHeadersTest {

    /** A fixed header with next header {@code first}, then {@code chain} (hex), payload length set to fit. */
    private static ByteBuffer packet(int first, String chain) {
        byte[] ext = HexFormat.of().parseHex(chain);
        ByteBuffer b = ByteBuffer.allocate(40 + ext.length);
        Ipv6Header.write(b, 0, 0, 0, ext.length, first, 64, Captures.DOC_PREFIX, 1, Captures.DOC_PREFIX, 2);
        b.put(40, ext);
        return b;
    }

    @Test
    void noExtensionHeaders() {
        ByteBuffer b = buffer(Captures.SYN6);
        long ul = Ipv6ExtensionHeaders.walk(b, 0, b.capacity());
        assertThat(UpperLayer.failed(ul)).isFalse();
        assertThat(UpperLayer.protocol(ul)).isEqualTo(IpProtocol.TCP);
        assertThat(UpperLayer.offset(ul)).isEqualTo(40);
        assertThat(UpperLayer.isFragment(ul)).isFalse();
        assertThat(UpperLayer.reason(ul)).isEqualTo(DropReason.NONE);
    }

    @Test
    void capturedMldReportSkipsHopByHop() {
        ByteBuffer b = buffer(Captures.MLD_REPORT);
        long ul = Ipv6ExtensionHeaders.walk(b, 0, b.capacity());
        assertThat(UpperLayer.protocol(ul)).isEqualTo(IpProtocol.ICMPV6);
        assertThat(UpperLayer.offset(ul)).isEqualTo(48);
        assertThat(IcmpHeader.type(b, 48)).isEqualTo(143);
        assertThat(IpPacket.validateTransport(b, 0, b.capacity())).as("MLD checksum verifies").isEqualTo(DropReason.NONE);
    }

    @Test
    void walksHopByHopRoutingDestinationOptionsAndAuthentication() {
        ByteBuffer b = packet(IpProtocol.HOP_BY_HOP,
                "2b00" + "010400000000" // HBH, 8 bytes, PadN -> Routing
                + "3c01" + "0000" + "00000000" + "0000000000000000" // Routing, 16 bytes -> Dest opts
                + "3300" + "010400000000" // Dest opts, 8 bytes -> AH
                + "1101" + "0000" + "00000001" + "00000001" // AH, (1+2)*4 = 12 bytes -> UDP
                + "0001000200080000");
        long ul = Ipv6ExtensionHeaders.walk(b, 0, b.capacity());
        assertThat(UpperLayer.protocol(ul)).isEqualTo(IpProtocol.UDP);
        assertThat(UpperLayer.offset(ul)).isEqualTo(40 + 8 + 16 + 8 + 12);
    }

    @Test
    void firstFragmentHasItsUpperLayerHeader() {
        ByteBuffer b = packet(IpProtocol.IPV6_FRAGMENT, "1100" + "0001" + "12345678" + "0001000200080000");
        long ul = Ipv6ExtensionHeaders.walk(b, 0, b.capacity());
        assertThat(UpperLayer.protocol(ul)).isEqualTo(IpProtocol.UDP);
        assertThat(UpperLayer.offset(ul)).isEqualTo(48);
        assertThat(UpperLayer.isFragment(ul)).isTrue();
        assertThat(UpperLayer.isLaterFragment(ul)).isFalse();
    }

    @Test
    void laterFragmentStopsAtTheFragmentData() {
        // Offset 185 (1480 bytes), M clear; the data is not a header, even if it looks like one.
        ByteBuffer b = packet(IpProtocol.IPV6_FRAGMENT, "3c00" + "05c8" + "12345678" + "ffffffffffffffff");
        long ul = Ipv6ExtensionHeaders.walk(b, 0, b.capacity());
        assertThat(UpperLayer.failed(ul)).isFalse();
        assertThat(UpperLayer.protocol(ul)).isEqualTo(IpProtocol.IPV6_DESTINATION_OPTIONS);
        assertThat(UpperLayer.offset(ul)).isEqualTo(48);
        assertThat(UpperLayer.isLaterFragment(ul)).isTrue();
    }

    @Test
    void noNextHeaderAndEspEndTheWalk() {
        assertThat(UpperLayer.protocol(Ipv6ExtensionHeaders.walk(packet(IpProtocol.IPV6_NO_NEXT, ""), 0, 40)))
                .isEqualTo(IpProtocol.IPV6_NO_NEXT);
        long esp = Ipv6ExtensionHeaders.walk(packet(IpProtocol.HOP_BY_HOP, "3200010400000000" + "00000001"), 0, 52);
        assertThat(UpperLayer.protocol(esp)).isEqualTo(IpProtocol.ESP);
        assertThat(UpperLayer.offset(esp)).isEqualTo(48);
    }

    @Test
    void refusesMalformedChains() {
        assertThat(reason(packet(IpProtocol.HOP_BY_HOP, "1102000000000000"))).as("runs past the packet")
                .isEqualTo(DropReason.BAD_EXTENSION);
        assertThat(reason(packet(IpProtocol.IPV6_ROUTING, "00"))).as("length byte missing")
                .isEqualTo(DropReason.BAD_EXTENSION);
        assertThat(reason(packet(IpProtocol.IPV6_FRAGMENT, "1100"))).as("fragment header cut")
                .isEqualTo(DropReason.BAD_EXTENSION);
        assertThat(reason(packet(IpProtocol.IPV6_DESTINATION_OPTIONS, "0000010400000000" + "1100010400000000")))
                .as("hop-by-hop not first").isEqualTo(DropReason.BAD_EXTENSION);
        assertThat(reason(packet(IpProtocol.IPV6_DESTINATION_OPTIONS, "3c00010400000000".repeat(20))))
                .isEqualTo(DropReason.TOO_MANY_EXTENSIONS);
        assertThat(reason(packet(IpProtocol.IPV6_DESTINATION_OPTIONS, "3c00010400000000".repeat(15) + "11000104000000000000000000000000")))
                .as("16 headers are fine").isEqualTo(DropReason.NONE);
        assertThat(UpperLayer.reason(Ipv6ExtensionHeaders.walk(buffer(Captures.SYN6), 0, 39)))
                .isEqualTo(DropReason.TRUNCATED_HEADER);
    }

    private static DropReason reason(ByteBuffer b) {
        return UpperLayer.reason(Ipv6ExtensionHeaders.walk(b, 0, b.capacity()));
    }
}
