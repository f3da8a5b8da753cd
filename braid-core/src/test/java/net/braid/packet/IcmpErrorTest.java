package net.braid.packet;

import static net.braid.packet.Captures.buffer;
import static net.braid.packet.Captures.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class IcmpErrorTest {
    private static final long ADDR2_LO = 2;

    @Test
    void portUnreachableMatchesTheKernels() {
        ByteBuffer udp = buffer(Captures.UDP4);
        ByteBuffer out = ByteBuffer.allocate(600);
        int n = IcmpError.destinationUnreachableV4(out, 0, Captures.ADDR2_V4, IcmpHeader.V4_PORT_UNREACHABLE, udp, 0, udp.capacity());
        assertThat(n).isEqualTo(62);
        // Linux sends with TOS 0xc0, its own identification and no DF; the ICMP message is identical.
        assertThat(hex(out, 20, n - 20)).isEqualTo(Captures.PORT_UNREACHABLE4.substring(40));
        assertThat(Ipv4Header.dst(out, 0)).isEqualTo(Captures.ADDR1_V4);
        assertThat(IpPacket.validateTransport(out, 0, n)).isEqualTo(DropReason.NONE);
    }

    @Test
    void icmpv6PortUnreachableMatchesTheKernels() {
        ByteBuffer udp = buffer(Captures.UDP6);
        ByteBuffer out = ByteBuffer.allocate(1300);
        int n = IcmpError.destinationUnreachableV6(out, 0, Captures.DOC_PREFIX, ADDR2_LO, IcmpHeader.V6_PORT_UNREACHABLE,
                udp, 0, udp.capacity());
        assertThat(hex(out, 4, n - 4)).isEqualTo(Captures.PORT_UNREACHABLE6.substring(8));
    }

    @Test
    void quotesAreCappedAt576BytesForIpv4() {
        ByteBuffer big = ByteBuffer.allocate(1500);
        int len = UdpDatagram.write(big, 0, new AddressPair.V4(Captures.ADDR1_V4, Captures.ADDR2_V4), 64, 1, 2,
                ByteBuffer.allocate(1472));
        ByteBuffer out = ByteBuffer.allocate(1500);
        int n = IcmpError.fragmentationNeeded(out, 0, 0xC6120063, 1400, big, 0, len);
        assertThat(n).isEqualTo(576);
        assertThat(Ipv4Header.totalLength(out, 0)).isEqualTo(576);
        assertThat(Ipv4Header.src(out, 0)).isEqualTo(0xC6120063);
        assertThat(IcmpHeader.type(out, 20)).isEqualTo(IcmpHeader.V4_DESTINATION_UNREACHABLE);
        assertThat(IcmpHeader.code(out, 20)).isEqualTo(IcmpHeader.V4_FRAGMENTATION_NEEDED);
        assertThat(IcmpHeader.nextHopMtu(out, 20)).isEqualTo(1400);
        assertThat(hex(out, 28, 28)).isEqualTo(hex(big, 0, 28));
        assertThat(IpPacket.validateTransport(out, 0, n)).isEqualTo(DropReason.NONE);

        n = IcmpError.timeExceededV4(out, 0, 0xC6120063, big, 0, len);
        assertThat(IcmpHeader.type(out, 20)).isEqualTo(IcmpHeader.V4_TIME_EXCEEDED);
        assertThat(IpPacket.validateTransport(out, 0, n)).isEqualTo(DropReason.NONE);
    }

    @Test
    void packetTooBigFitsInTheMinimumIpv6Mtu() {
        ByteBuffer big = ByteBuffer.allocate(1500);
        var ips = new AddressPair.V6(Captures.DOC_PREFIX, 1, Captures.DOC_PREFIX, 2);
        int len = UdpDatagram.write(big, 0, ips, 64, 1, 2, ByteBuffer.allocate(1452));
        ByteBuffer out = ByteBuffer.allocate(1500);
        int n = IcmpError.packetTooBig(out, 0, Captures.DOC_PREFIX, 0xfe, 1280, big, 0, len);
        assertThat(n).isEqualTo(1280);
        assertThat(Ipv6Header.payloadLength(out, 0)).isEqualTo(1240);
        assertThat(Ipv6Header.dstLo(out, 0)).isEqualTo(1);
        assertThat(IcmpHeader.type(out, 40)).isEqualTo(IcmpHeader.V6_PACKET_TOO_BIG);
        assertThat(IcmpHeader.mtu(out, 40)).isEqualTo(1280);
        assertThat(hex(out, 48, 48)).isEqualTo(hex(big, 0, 48));
        assertThat(IpPacket.validateTransport(out, 0, n)).isEqualTo(DropReason.NONE);

        n = IcmpError.timeExceededV6(out, 0, Captures.DOC_PREFIX, 0xfe, big, 0, 100);
        assertThat(n).isEqualTo(148);
        assertThat(IcmpHeader.type(out, 40)).isEqualTo(IcmpHeader.V6_TIME_EXCEEDED);
        assertThat(IpPacket.validateTransport(out, 0, n)).isEqualTo(DropReason.NONE);
    }

    @Test
    void neverAnswersErrorsFragmentsOrMulticast() {
        assertThat(mayAnswer(Captures.UDP4, false)).isTrue();
        assertThat(mayAnswer(Captures.UDP6, false)).isTrue();
        assertThat(mayAnswer(Captures.PING4_REQUEST, false)).as("echo is not an error").isTrue();
        assertThat(mayAnswer(Captures.PORT_UNREACHABLE4, false)).isFalse();
        assertThat(mayAnswer(Captures.PORT_UNREACHABLE6, false)).isFalse();
        assertThat(mayAnswer(Captures.MLD_REPORT, false)).as("multicast destination").isFalse();

        ByteBuffer later = buffer(Captures.UDP4);
        NetworkOrder.put16(later, 6, 10);
        Ipv4Header.updateChecksum(later, 0);
        assertThat(IcmpError.mayAnswer(later, 0, later.capacity(), false)).isFalse();

        ByteBuffer multicast = buffer(Captures.UDP4);
        Ipv4Header.setDst(multicast, 0, 0xE0000001);
        assertThat(IcmpError.mayAnswer(multicast, 0, multicast.capacity(), false)).isFalse();
        Ipv4Header.setDst(multicast, 0, -1);
        assertThat(IcmpError.mayAnswer(multicast, 0, multicast.capacity(), false)).isFalse();

        ByteBuffer multicast6 = buffer(Captures.UDP6);
        Ipv6Header.setDst(multicast6, 0, 0xff02_0000_0000_0000L, 1);
        assertThat(IcmpError.mayAnswer(multicast6, 0, multicast6.capacity(), false)).isFalse();
        assertThat(IcmpError.mayAnswer(multicast6, 0, multicast6.capacity(), true)).as("RFC 4443 §2.4(e.3)").isTrue();
        Ipv6Header.setSrc(multicast6, 0, 0, 0);
        assertThat(IcmpError.mayAnswer(multicast6, 0, multicast6.capacity(), true)).as("unspecified source").isFalse();
    }

    private static boolean mayAnswer(String hex, boolean ptb) {
        ByteBuffer b = buffer(hex);
        return IcmpError.mayAnswer(b, 0, b.capacity(), ptb);
    }
}
