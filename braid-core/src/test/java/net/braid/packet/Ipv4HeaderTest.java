package net.braid.packet;

import static net.braid.packet.Captures.buffer;
import static net.braid.packet.Captures.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class Ipv4HeaderTest {

    @Test
    void readsTheFieldsOfACapturedPing() {
        ByteBuffer b = buffer(Captures.PING4_REQUEST);
        assertThat(Ipv4Header.version(b, 0)).isEqualTo(4);
        assertThat(Ipv4Header.headerLength(b, 0)).isEqualTo(20);
        assertThat(Ipv4Header.tos(b, 0)).isZero();
        assertThat(Ipv4Header.totalLength(b, 0)).isEqualTo(84);
        assertThat(Ipv4Header.identification(b, 0)).isEqualTo(0x3275);
        assertThat(Ipv4Header.dontFragment(b, 0)).isTrue();
        assertThat(Ipv4Header.moreFragments(b, 0)).isFalse();
        assertThat(Ipv4Header.isFragment(b, 0)).isFalse();
        assertThat(Ipv4Header.ttl(b, 0)).isEqualTo(64);
        assertThat(Ipv4Header.protocol(b, 0)).isEqualTo(IpProtocol.ICMP);
        assertThat(Ipv4Header.checksum(b, 0)).isEqualTo(0x7c0c);
        assertThat(Ipv4Header.src(b, 0)).isEqualTo(Captures.ADDR1_V4);
        assertThat(Ipv4Header.dst(b, 0)).isEqualTo(Captures.ADDR2_V4);
        byte[] a = new byte[6];
        Ipv4Header.dst(b, 0, a, 2);
        assertThat(a).containsExactly(0, 0, 198, 18, 0, 2);
        assertThat(Ipv4Header.checksumValid(b, 0)).isTrue();
        assertThat(Ipv4Header.validate(b, 0, b.capacity())).isEqualTo(DropReason.NONE);
    }

    @Test
    void writeReproducesTheCapturedReplyHeader() {
        ByteBuffer b = ByteBuffer.allocate(20);
        int n = Ipv4Header.write(b, 0, 0, 84, 0x4005, 0, 64, IpProtocol.ICMP, Captures.ADDR2_V4, Captures.ADDR1_V4);
        assertThat(n).isEqualTo(20);
        assertThat(hex(b, 0, 20)).isEqualTo(Captures.PING4_REPLY.substring(0, 40));
    }

    @Test
    void worksAtAnOffsetInsideALargerBuffer() {
        ByteBuffer b = ByteBuffer.allocate(200);
        b.put(37, Captures.bytes(Captures.PING4_REQUEST));
        assertThat(Ipv4Header.validate(b, 37, 84)).isEqualTo(DropReason.NONE);
        assertThat(Ipv4Header.dst(b, 37)).isEqualTo(Captures.ADDR2_V4);
    }

    @Test
    void decrementTtlPatchesTheChecksumIncrementally() {
        ByteBuffer b = buffer(Captures.PING4_REQUEST);
        assertThat(Ipv4Header.decrementTtl(b, 0)).isEqualTo(63);
        assertThat(Ipv4Header.checksumValid(b, 0)).isTrue();
        int patched = Ipv4Header.checksum(b, 0);
        Ipv4Header.updateChecksum(b, 0);
        assertThat(Ipv4Header.checksum(b, 0)).isEqualTo(patched);
        Ipv4Header.setTtl(b, 0, 1);
        Ipv4Header.updateChecksum(b, 0);
        assertThat(Ipv4Header.decrementTtl(b, 0)).isZero();
        assertThat(Ipv4Header.decrementTtl(b, 0)).as("0 stays 0").isZero();
        assertThat(Ipv4Header.checksumValid(b, 0)).isTrue();
    }

    @Test
    void rewritingAddressesKeepsIpAndTransportChecksumsValid() {
        for (String hex : new String[] {Captures.UDP4, Captures.SYN4, Captures.RST4, Captures.PING4_REQUEST}) {
            ByteBuffer b = buffer(hex);
            int len = b.capacity();
            Ipv4Header.rewriteSrc(b, 0, len, 0xC613FFFE);
            Ipv4Header.rewriteDst(b, 0, len, 0xC6120063);
            assertThat(Ipv4Header.src(b, 0)).isEqualTo(0xC613FFFE);
            assertThat(Ipv4Header.dst(b, 0)).isEqualTo(0xC6120063);
            assertThat(IpPacket.validateTransport(b, 0, len)).as(hex).isEqualTo(DropReason.NONE);
        }
    }

    @Test
    void rewriteLeavesAZeroUdpChecksumZero() {
        ByteBuffer b = buffer(Captures.UDP4);
        UdpHeader.setChecksum(b, 20, 0);
        Ipv4Header.rewriteSrc(b, 0, b.capacity(), 0xC6130001);
        assertThat(UdpHeader.checksum(b, 20)).isZero();
        assertThat(IpPacket.validateTransport(b, 0, b.capacity())).isEqualTo(DropReason.NONE);
    }

    @Test
    void validateNamesWhatIsWrong() {
        assertThat(Ipv4Header.validate(buffer(Captures.PING4_REQUEST), 0, 0)).isEqualTo(DropReason.EMPTY);
        assertThat(Ipv4Header.validate(buffer(Captures.PING4_REQUEST), 0, 19)).isEqualTo(DropReason.TRUNCATED_HEADER);
        assertThat(Ipv4Header.validate(buffer(Captures.PING6_REQUEST), 0, 84)).isEqualTo(DropReason.UNKNOWN_VERSION);
        assertThat(Ipv4Header.validate(buffer(Captures.PING4_REQUEST), 0, 83)).isEqualTo(DropReason.BAD_TOTAL_LENGTH);

        ByteBuffer ihl4 = buffer(Captures.PING4_REQUEST);
        ihl4.put(0, (byte) 0x44);
        assertThat(Ipv4Header.validate(ihl4, 0, 84)).isEqualTo(DropReason.BAD_HEADER_LENGTH);
        ByteBuffer ihl15 = buffer(Captures.PING4_REQUEST);
        ihl15.put(0, (byte) 0x4F);
        assertThat(Ipv4Header.validate(ihl15, 0, 40)).isEqualTo(DropReason.BAD_HEADER_LENGTH);

        ByteBuffer shortTotal = buffer(Captures.PING4_REQUEST);
        Ipv4Header.setTotalLength(shortTotal, 0, 19);
        Ipv4Header.updateChecksum(shortTotal, 0);
        assertThat(Ipv4Header.validate(shortTotal, 0, 84)).isEqualTo(DropReason.BAD_TOTAL_LENGTH);

        ByteBuffer corrupt = buffer(Captures.PING4_REQUEST);
        corrupt.put(8, (byte) 63);
        assertThat(Ipv4Header.validate(corrupt, 0, 84)).isEqualTo(DropReason.BAD_HEADER_CHECKSUM);
    }

    @Test
    void trailingLinkPaddingIsAllowed() {
        ByteBuffer b = ByteBuffer.allocate(100);
        b.put(0, Captures.bytes(Captures.PING4_REQUEST));
        assertThat(Ipv4Header.validate(b, 0, 100)).isEqualTo(DropReason.NONE);
    }

    @Test
    void fragmentFields() {
        ByteBuffer b = buffer(Captures.PING4_REQUEST);
        NetworkOrder.put16(b, 6, Ipv4Header.MORE_FRAGMENTS | 185);
        assertThat(Ipv4Header.isFragment(b, 0)).isTrue();
        assertThat(Ipv4Header.moreFragments(b, 0)).isTrue();
        assertThat(Ipv4Header.dontFragment(b, 0)).isFalse();
        assertThat(Ipv4Header.fragmentOffset(b, 0)).isEqualTo(1480);
        assertThat(Ipv4Header.flagsAndFragmentOffset(b, 0)).isEqualTo(0x2000 | 185);
    }

    @Test
    void dscpAndEcnSplitTheTosByte() {
        ByteBuffer b = buffer(Captures.PORT_UNREACHABLE4);
        assertThat(Ipv4Header.dscp(b, 0)).isEqualTo(48); // CS6, Linux's default for ICMP errors
        assertThat(Ipv4Header.ecn(b, 0)).isZero();
        Ipv4Header.setTos(b, 0, 0x03);
        assertThat(Ipv4Header.ecn(b, 0)).isEqualTo(3);
    }
}
