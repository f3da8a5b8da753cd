package net.braid.packet;

import static net.braid.packet.Captures.buffer;
import static net.braid.packet.Captures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class UdpDatagramTest {
    private static final AddressPair V4 = new AddressPair.V4(Captures.ADDR1_V4, Captures.ADDR2_V4);
    private static final AddressPair V6 = new AddressPair.V6(Captures.DOC_PREFIX, 1, Captures.DOC_PREFIX, 2);

    @Test
    void parsesCapturedDatagrams() throws Exception {
        ByteBuffer b = buffer(Captures.UDP4);
        UdpDatagram d = UdpDatagram.parse(b, 0, b.capacity());
        assertThat(d).isEqualTo(new UdpDatagram(V4, 0xa470, 9, "hello\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(UdpHeader.length(b, 20)).isEqualTo(14);
        assertThat(UdpHeader.checksum(b, 20)).isEqualTo(0x8b54);

        ByteBuffer b6 = buffer(Captures.UDP6);
        assertThat(UdpDatagram.parse(b6, 0, b6.capacity()))
                .isEqualTo(new UdpDatagram(V6, 0xd8e1, 9, "hello6\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void writeReproducesTheCapturedBytes() {
        ByteBuffer b = ByteBuffer.allocate(100);
        var d = new UdpDatagram(V4, 0xa470, 9, "hello\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(d.write(b, 0, 64)).isEqualTo(34).isEqualTo(d.length());
        // Identification differs (Linux counts, we write 0 with DF), so compare all but it and the header checksum.
        assertThat(hex(b, 0, 4)).isEqualTo(Captures.UDP4.substring(0, 8));
        assertThat(hex(b, 6, 4)).isEqualTo(Captures.UDP4.substring(12, 20));
        assertThat(hex(b, 12, 22)).isEqualTo(Captures.UDP4.substring(24));
        assertThat(Ipv4Header.checksumValid(b, 0)).isTrue();

        var d6 = new UdpDatagram(V6, 0xd8e1, 9, "hello6\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(d6.write(b, 3, 64)).isEqualTo(55);
        // Flow label differs (Linux picks one per flow); everything after it matches.
        assertThat(hex(b, 3 + 4, 51)).isEqualTo(Captures.UDP6.substring(8));
    }

    @Test
    void zeroChecksumIsSentAsAllOnes() {
        // Find a payload whose checksum comes out 0: fix the last word so the sum is 0xFFFF.
        ByteBuffer b = ByteBuffer.allocate(64);
        byte[] payload = new byte[2];
        int len = UdpDatagram.write(b, 0, V4, 64, 1, 2, ByteBuffer.wrap(payload));
        int c = UdpHeader.checksum(b, 20);
        payload[0] = (byte) (c >>> 8);
        payload[1] = (byte) c;
        UdpDatagram.write(b, 0, V4, 64, 1, 2, ByteBuffer.wrap(payload));
        assertThat(UdpHeader.checksum(b, 20)).isEqualTo(0xFFFF);
        assertThat(IpPacket.validateTransport(b, 0, len)).isEqualTo(DropReason.NONE);
    }

    @Test
    void payloadPositionIsNotMoved() {
        ByteBuffer payload = ByteBuffer.wrap(new byte[] {9, 1, 2, 3});
        payload.position(1);
        ByteBuffer b = ByteBuffer.allocate(64);
        assertThat(UdpDatagram.write(b, 0, V4, 64, 1, 2, payload)).isEqualTo(31);
        assertThat(payload.position()).isEqualTo(1);
        assertThat(hex(b, 28, 3)).isEqualTo("010203");
    }

    @Test
    void udpLengthShorterThanIpPayloadIsHonoured() throws Exception {
        // RFC 768: the datagram ends where its length says; trailing IP payload bytes are not data.
        ByteBuffer b = ByteBuffer.allocate(60);
        int n = UdpDatagram.write(b, 0, V6, 64, 1, 2, ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
        Ipv6Header.setPayloadLength(b, 0, n - 40 + 2);
        UdpDatagram d = UdpDatagram.parse(b, 0, n + 2);
        assertThat(d.payload()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void refusesBadLengthsAndChecksums() {
        ByteBuffer b = buffer(Captures.UDP4);
        UdpHeader.setLength(b, 20, 15);
        assertThat(IpPacket.validateTransport(b, 0, b.capacity())).isEqualTo(DropReason.BAD_TOTAL_LENGTH);
        UdpHeader.setLength(b, 20, 7);
        assertThat(UdpHeader.validate(b, 20, 14)).isEqualTo(DropReason.BAD_TOTAL_LENGTH);
        assertThat(UdpHeader.validate(b, 20, 7)).isEqualTo(DropReason.TRUNCATED_HEADER);

        ByteBuffer corrupt = buffer(Captures.UDP6);
        corrupt.put(corrupt.capacity() - 1, (byte) 0);
        assertThatThrownBy(() -> UdpDatagram.parse(corrupt, 0, corrupt.capacity()))
                .isInstanceOfSatisfying(MalformedPacketException.class, e -> assertThat(e.reason()).isEqualTo(DropReason.BAD_CHECKSUM));

        ByteBuffer noChecksum6 = buffer(Captures.UDP6);
        UdpHeader.setChecksum(noChecksum6, 40, 0);
        assertThat(IpPacket.validateTransport(noChecksum6, 0, noChecksum6.capacity()))
                .as("RFC 8200 §8.1: a zero UDP checksum is invalid over IPv6").isEqualTo(DropReason.BAD_CHECKSUM);

        assertThatThrownBy(() -> UdpDatagram.parse(buffer(Captures.SYN4), 0, 60))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.reason()).isEqualTo(DropReason.UNEXPECTED_PROTOCOL));
    }

    @Property
    void roundTrips(@ForAll boolean v6, @ForAll @IntRange(max = 0xFFFF) int sp, @ForAll @IntRange(max = 0xFFFF) int dp,
                    @ForAll @Size(max = 1400) byte[] payload, @ForAll long hi, @ForAll long lo) throws Exception {
        AddressPair ips = v6 ? new AddressPair.V6(hi, lo, lo, hi) : new AddressPair.V4((int) hi, (int) lo);
        var d = new UdpDatagram(ips, sp, dp, payload);
        ByteBuffer b = ByteBuffer.allocate(d.length());
        assertThat(d.write(b, 0, 64)).isEqualTo(d.length());
        assertThat(UdpDatagram.parse(b, 0, d.length())).isEqualTo(d);
    }
}
