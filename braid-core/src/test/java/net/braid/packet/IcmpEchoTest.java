package net.braid.packet;

import static net.braid.packet.Captures.buffer;
import static net.braid.packet.Captures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class IcmpEchoTest {

    @Test
    void parsesACapturedPing() throws Exception {
        ByteBuffer b = buffer(Captures.PING4_REQUEST);
        IcmpEcho e = IcmpEcho.parse(b, 0, b.capacity());
        assertThat(e.request()).isTrue();
        assertThat(e.identifier()).isEqualTo(0x1d40);
        assertThat(e.sequence()).isEqualTo(1);
        assertThat(e.data()).hasSize(56);
        assertThat(e.addresses()).isEqualTo(new AddressPair.V4(Captures.ADDR1_V4, Captures.ADDR2_V4));
        assertThat(IcmpHeader.type(b, 20)).isEqualTo(IcmpHeader.V4_ECHO_REQUEST);
        assertThat(IcmpHeader.checksum(b, 20)).isEqualTo(0x5cce);
    }

    @Test
    void replyMatchesTheKernelsReply() throws Exception {
        ByteBuffer b = buffer(Captures.PING4_REQUEST);
        ByteBuffer out = ByteBuffer.allocate(100);
        int n = IcmpEcho.parse(b, 0, b.capacity()).reply().write(out, 0, 64);
        assertThat(n).isEqualTo(84);
        // The kernel's reply has its own identification and no DF; the ICMP bytes are identical.
        assertThat(hex(out, 20, 64)).isEqualTo(Captures.PING4_REPLY.substring(40));
        assertThat(IcmpEcho.parse(out, 0, n)).isEqualTo(IcmpEcho.parse(buffer(Captures.PING4_REPLY), 0, 84));
    }

    @Test
    void icmpv6ReplyMatchesTheKernelsReply() throws Exception {
        ByteBuffer b = buffer(Captures.PING6_REQUEST);
        IcmpEcho e = IcmpEcho.parse(b, 0, b.capacity());
        assertThat(e.identifier()).isEqualTo(0x1d41);
        ByteBuffer out = ByteBuffer.allocate(104);
        int n = e.reply().write(out, 0, 64);
        // Everything after the flow label, the ICMPv6 checksum (over the pseudo-header) included.
        assertThat(hex(out, 4, n - 4)).isEqualTo(Captures.PING6_REPLY.substring(8));
    }

    @Test
    void refusesOtherIcmpTypes() {
        ByteBuffer b = buffer(Captures.PORT_UNREACHABLE4);
        assertThatThrownBy(() -> IcmpEcho.parse(b, 0, b.capacity()))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.reason()).isEqualTo(DropReason.UNEXPECTED_PROTOCOL));
        ByteBuffer corrupt = buffer(Captures.PING6_REQUEST);
        corrupt.put(60, (byte) 0x5a);
        assertThatThrownBy(() -> IcmpEcho.parse(corrupt, 0, corrupt.capacity()))
                .isInstanceOfSatisfying(MalformedPacketException.class, e -> assertThat(e.reason()).isEqualTo(DropReason.BAD_CHECKSUM));
    }

    @Property
    void roundTrips(@ForAll boolean v6, @ForAll boolean request, @ForAll @IntRange(max = 0xFFFF) int id,
                    @ForAll @IntRange(max = 0xFFFF) int seq, @ForAll @Size(max = 1000) byte[] data) throws Exception {
        AddressPair ips = v6 ? new AddressPair.V6(Captures.DOC_PREFIX, 5, Captures.DOC_PREFIX, 6)
                : new AddressPair.V4(Captures.ADDR1_V4, Captures.ADDR2_V4);
        var e = new IcmpEcho(ips, request, id, seq, data);
        ByteBuffer b = ByteBuffer.allocate(e.length());
        assertThat(e.write(b, 0, 64)).isEqualTo(e.length());
        assertThat(IcmpEcho.parse(b, 0, e.length())).isEqualTo(e);
    }
}
