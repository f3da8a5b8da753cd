package net.braid.packet;

import static net.braid.packet.Captures.buffer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class IpPacketTest {

    /** A packet in the middle of a pooled buffer, between position and limit, as a device delivers it. */
    private static ByteBuffer framed(String hex) {
        byte[] p = Captures.bytes(hex);
        ByteBuffer b = ByteBuffer.allocate(p.length + 32);
        b.put(16, p).position(16).limit(16 + p.length);
        return b;
    }

    @Test
    void versionAndAddressesForRouteLookup() {
        ByteBuffer v4 = framed(Captures.SYN4);
        assertThat(IpPacket.version(v4)).isEqualTo(4);
        assertThat(IpPacket.validate(v4)).isEqualTo(DropReason.NONE);
        assertThat(IpPacket.ipv4Src(v4)).isEqualTo(Captures.ADDR1_V4);
        assertThat(IpPacket.ipv4Dst(v4)).isEqualTo(Captures.ADDR2_V4);

        ByteBuffer v6 = framed(Captures.SYN6);
        assertThat(IpPacket.version(v6)).isEqualTo(6);
        assertThat(IpPacket.validate(v6)).isEqualTo(DropReason.NONE);
        assertThat(IpPacket.ipv6SrcHi(v6)).isEqualTo(Captures.DOC_PREFIX);
        assertThat(IpPacket.ipv6SrcLo(v6)).isEqualTo(1);
        assertThat(IpPacket.ipv6DstHi(v6)).isEqualTo(Captures.DOC_PREFIX);
        assertThat(IpPacket.ipv6DstLo(v6)).isEqualTo(2);
        assertThat(v6.position()).as("position untouched").isEqualTo(16);
        assertThat(IpPacket.length(v6, 16)).isEqualTo(80);
    }

    @Test
    void validateNamesWhatIsWrong() {
        assertThat(IpPacket.version(ByteBuffer.allocate(0))).isZero();
        assertThat(IpPacket.validate(ByteBuffer.allocate(0))).isEqualTo(DropReason.EMPTY);
        assertThat(IpPacket.validate(ByteBuffer.wrap(new byte[] {0x50, 0, 0, 0}))).isEqualTo(DropReason.UNKNOWN_VERSION);
        assertThat(IpPacket.validate(ByteBuffer.wrap(new byte[] {0x45, 0, 0, 0}))).isEqualTo(DropReason.TRUNCATED_HEADER);
        assertThat(IpPacket.validate(ByteBuffer.wrap(new byte[] {0x60, 0, 0, 0}))).isEqualTo(DropReason.TRUNCATED_HEADER);
        ByteBuffer cut = framed(Captures.SYN6);
        cut.limit(cut.limit() - 1);
        assertThat(IpPacket.validate(cut)).isEqualTo(DropReason.BAD_TOTAL_LENGTH);
    }

    @Test
    void upperLayerOfBothVersions() {
        ByteBuffer v4 = framed(Captures.UDP4);
        long ul = IpPacket.upperLayer(v4, 16, v4.remaining());
        assertThat(UpperLayer.protocol(ul)).isEqualTo(IpProtocol.UDP);
        assertThat(UpperLayer.offset(ul)).isEqualTo(36);
        assertThat(UpperLayer.isFragment(ul)).isFalse();

        ByteBuffer first = buffer(Captures.UDP4);
        NetworkOrder.put16(first, 6, Ipv4Header.MORE_FRAGMENTS);
        Ipv4Header.updateChecksum(first, 0);
        long f = IpPacket.upperLayer(first, 0, first.capacity());
        assertThat(UpperLayer.isFragment(f)).isTrue();
        assertThat(UpperLayer.isLaterFragment(f)).isFalse();
        assertThat(IpPacket.validateTransport(first, 0, first.capacity()))
                .as("header checked, checksum skipped: it covers bytes not here").isEqualTo(DropReason.NONE);
    }

    @Test
    void validateTransportChecksTheTransportChecksum() {
        for (String hex : new String[] {Captures.SYN4, Captures.RST4, Captures.SYN6, Captures.RST6, Captures.UDP4,
                Captures.UDP6, Captures.PING4_REQUEST, Captures.PING6_REPLY, Captures.PORT_UNREACHABLE4,
                Captures.PORT_UNREACHABLE6, Captures.MLD_REPORT}) {
            ByteBuffer b = buffer(hex);
            assertThat(IpPacket.validateTransport(b, 0, b.capacity())).as(hex).isEqualTo(DropReason.NONE);
            b.put(b.capacity() - 1, (byte) (b.get(b.capacity() - 1) ^ 0x10));
            assertThat(IpPacket.validateTransport(b, 0, b.capacity())).as(hex).isEqualTo(DropReason.BAD_CHECKSUM);
        }
    }

    @Test
    void addressPairs() {
        assertThat(IpPacket.addresses(buffer(Captures.UDP6), 0))
                .isEqualTo(AddressPair.of("2001:db8::1", "2001:db8::2"));
        assertThat(IpPacket.addresses(buffer(Captures.UDP4), 0))
                .isEqualTo(AddressPair.of("198.18.0.1", "198.18.0.2"));
    }
}
