package net.braid.packet;

import static net.braid.packet.Captures.DOC_PREFIX;
import static net.braid.packet.Captures.buffer;
import static net.braid.packet.Captures.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class Ipv6HeaderTest {

    @Test
    void readsTheFieldsOfACapturedPing() {
        ByteBuffer b = buffer(Captures.PING6_REQUEST);
        assertThat(Ipv6Header.version(b, 0)).isEqualTo(6);
        assertThat(Ipv6Header.trafficClass(b, 0)).isZero();
        assertThat(Ipv6Header.flowLabel(b, 0)).isEqualTo(0x07061);
        assertThat(Ipv6Header.payloadLength(b, 0)).isEqualTo(64);
        assertThat(Ipv6Header.nextHeader(b, 0)).isEqualTo(IpProtocol.ICMPV6);
        assertThat(Ipv6Header.hopLimit(b, 0)).isEqualTo(64);
        assertThat(Ipv6Header.srcHi(b, 0)).isEqualTo(DOC_PREFIX);
        assertThat(Ipv6Header.srcLo(b, 0)).isEqualTo(1);
        assertThat(Ipv6Header.dstHi(b, 0)).isEqualTo(DOC_PREFIX);
        assertThat(Ipv6Header.dstLo(b, 0)).isEqualTo(2);
        byte[] a = new byte[16];
        Ipv6Header.src(b, 0, a, 0);
        assertThat(Captures.hex(ByteBuffer.wrap(a), 0, 16)).isEqualTo("20010db8000000000000000000000001");
        Ipv6Header.dst(b, 0, a, 0);
        assertThat(a[15]).isEqualTo((byte) 2);
        assertThat(Ipv6Header.validate(b, 0, b.capacity())).isEqualTo(DropReason.NONE);
    }

    @Test
    void writeReproducesTheCapturedReplyHeader() {
        ByteBuffer b = ByteBuffer.allocate(40);
        Ipv6Header.write(b, 0, 0, 0x69c13, 64, IpProtocol.ICMPV6, 64, DOC_PREFIX, 2, DOC_PREFIX, 1);
        assertThat(hex(b, 0, 40)).isEqualTo(Captures.PING6_REPLY.substring(0, 80));
    }

    @Test
    void trafficClassAndFlowLabelDoNotBleed() {
        ByteBuffer b = ByteBuffer.allocate(40);
        Ipv6Header.write(b, 0, 0xFF, 0xFFFFF, 0, IpProtocol.IPV6_NO_NEXT, 1, 0, 0, -1, -1);
        assertThat(hex(b, 0, 4)).isEqualTo("6fffffff");
        assertThat(Ipv6Header.trafficClass(b, 0)).isEqualTo(0xFF);
        assertThat(Ipv6Header.flowLabel(b, 0)).isEqualTo(0xFFFFF);
        assertThat(Ipv6Header.dstHi(b, 0)).isEqualTo(-1L);
    }

    @Test
    void settersAndHopLimit() {
        ByteBuffer b = buffer(Captures.PING6_REQUEST);
        Ipv6Header.setSrc(b, 0, DOC_PREFIX, 7);
        Ipv6Header.setDst(b, 0, DOC_PREFIX | 1, 8);
        Ipv6Header.setNextHeader(b, 0, IpProtocol.UDP);
        Ipv6Header.setPayloadLength(b, 0, 8);
        assertThat(Ipv6Header.srcLo(b, 0)).isEqualTo(7);
        assertThat(Ipv6Header.dstHi(b, 0)).isEqualTo(DOC_PREFIX | 1);
        assertThat(Ipv6Header.nextHeader(b, 0)).isEqualTo(IpProtocol.UDP);
        assertThat(Ipv6Header.payloadLength(b, 0)).isEqualTo(8);
        Ipv6Header.setHopLimit(b, 0, 1);
        assertThat(Ipv6Header.decrementHopLimit(b, 0)).isZero();
        assertThat(Ipv6Header.decrementHopLimit(b, 0)).isZero();
    }

    @Test
    void rewritingAddressesKeepsTransportChecksumsValid() {
        for (String hex : new String[] {Captures.UDP6, Captures.SYN6, Captures.RST6, Captures.PING6_REQUEST, Captures.MLD_REPORT}) {
            ByteBuffer b = buffer(hex);
            int len = b.capacity();
            Ipv6Header.rewriteSrc(b, 0, len, DOC_PREFIX | 0xFFFF, 0x1234_5678_9abc_def0L);
            Ipv6Header.rewriteDst(b, 0, len, DOC_PREFIX | 0x1_0000, 42);
            assertThat(Ipv6Header.srcLo(b, 0)).isEqualTo(0x1234_5678_9abc_def0L);
            assertThat(Ipv6Header.dstHi(b, 0)).isEqualTo(DOC_PREFIX | 0x1_0000);
            assertThat(IpPacket.validateTransport(b, 0, len)).as(hex).isEqualTo(DropReason.NONE);
        }
    }

    @Test
    void readsAreIndependentOfTheBufferByteOrder() {
        ByteBuffer b = buffer(Captures.PING6_REQUEST).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(Ipv6Header.payloadLength(b, 0)).isEqualTo(64);
        assertThat(Ipv6Header.srcHi(b, 0)).isEqualTo(DOC_PREFIX);
        Ipv6Header.setPayloadLength(b, 0, 0x1234);
        assertThat(b.get(4)).isEqualTo((byte) 0x12);
    }

    @Test
    void validateNamesWhatIsWrong() {
        assertThat(Ipv6Header.validate(buffer(Captures.PING6_REQUEST), 0, 0)).isEqualTo(DropReason.EMPTY);
        assertThat(Ipv6Header.validate(buffer(Captures.PING6_REQUEST), 0, 39)).isEqualTo(DropReason.TRUNCATED_HEADER);
        assertThat(Ipv6Header.validate(buffer(Captures.PING4_REQUEST), 0, 84)).isEqualTo(DropReason.UNKNOWN_VERSION);
        assertThat(Ipv6Header.validate(buffer(Captures.PING6_REQUEST), 0, 103)).isEqualTo(DropReason.BAD_TOTAL_LENGTH);
        ByteBuffer padded = ByteBuffer.allocate(120).put(0, Captures.bytes(Captures.PING6_REQUEST));
        assertThat(Ipv6Header.validate(padded, 0, 120)).isEqualTo(DropReason.NONE);
    }
}
