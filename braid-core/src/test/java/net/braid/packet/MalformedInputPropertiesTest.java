package net.braid.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/**
 * Parsing arbitrary bytes never throws an unchecked exception: every validator returns a
 * reason, every record parser either succeeds or throws {@link MalformedPacketException}.
 */
class MalformedInputPropertiesTest {
    private static final List<String> SEEDS = List.of(Captures.SYN4, Captures.SYN6, Captures.RST4, Captures.UDP4,
            Captures.UDP6, Captures.PING4_REQUEST, Captures.PING6_REQUEST, Captures.PORT_UNREACHABLE4,
            Captures.PORT_UNREACHABLE6, Captures.MLD_REPORT);

    @Property(tries = 3000)
    void randomBytes(@ForAll @Size(max = 200) byte[] bytes) {
        exerciseEverything(ByteBuffer.wrap(bytes));
    }

    @Property(tries = 3000)
    void randomBytesBehindAValidVersionNibble(@ForAll @Size(min = 1, max = 200) byte[] bytes, @ForAll boolean v6) {
        bytes[0] = (byte) (v6 ? 0x60 | bytes[0] & 0x0F : 0x40 | bytes[0] & 0x0F);
        exerciseEverything(ByteBuffer.wrap(bytes));
    }

    /** Real packets with a few bytes changed and a random cut: gets past the first checks far more often. */
    @Provide
    Arbitrary<byte[]> mutatedCaptures() {
        return Arbitraries.of(SEEDS).flatMap(hex -> {
            byte[] base = Captures.bytes(hex);
            Arbitrary<Tuple.Tuple3<Integer, Byte, Integer>> edit = net.jqwik.api.Combinators.combine(
                            Arbitraries.integers().between(0, base.length - 1), Arbitraries.bytes(),
                            Arbitraries.integers().between(0, base.length))
                    .as(Tuple::of);
            return edit.list().ofMinSize(1).ofMaxSize(4).map(edits -> {
                byte[] p = base.clone();
                int len = p.length;
                for (var e : edits) {
                    p[e.get1()] = e.get2();
                    len = Math.min(len, Math.max(e.get3(), p.length - 8));
                }
                byte[] cut = new byte[len];
                System.arraycopy(p, 0, cut, 0, len);
                return cut;
            });
        });
    }

    @Property(tries = 5000)
    void mutatedRealPackets(@ForAll("mutatedCaptures") byte[] bytes) {
        exerciseEverything(ByteBuffer.wrap(bytes));
        // With the checksums repaired, the transport parsers see the mutated headers too.
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (IpPacket.validate(b) == DropReason.BAD_HEADER_CHECKSUM) {
            Ipv4Header.updateChecksum(b, 0);
            exerciseEverything(b);
        }
    }

    private static void exerciseEverything(ByteBuffer b) {
        int len = b.remaining();
        assertThat(IpPacket.version(b)).isBetween(0, 15);
        DropReason r = IpPacket.validate(b);
        assertThat(r).isNotNull();
        DropReason full = IpPacket.validateTransport(b, 0, len);
        if (r != DropReason.NONE) {
            assertThat(full).isEqualTo(r);
            return;
        }
        assertThat(IpPacket.length(b, 0)).isBetween(0, len);
        long ul = IpPacket.upperLayer(b, 0, len);
        if (!UpperLayer.failed(ul)) {
            assertThat(UpperLayer.offset(ul)).isBetween(0, len);
            IcmpError.mayAnswer(b, 0, len, false);
            int l4 = UpperLayer.offset(ul);
            TcpOptions.wellFormed(b, l4, len);
            TcpOptions.find(b, l4, len, TcpOptions.KIND_MSS);
        } else {
            assertThat(full).isEqualTo(UpperLayer.reason(ul));
        }
        if (full == DropReason.NONE && UpperLayer.protocol(ul) == IpProtocol.TCP && !UpperLayer.isLaterFragment(ul)) {
            TcpHeader.clampMss(b.duplicate(), UpperLayer.offset(ul), 536);
        }
        parseQuietly(() -> TcpSegment.parse(b, 0, len));
        parseQuietly(() -> UdpDatagram.parse(b, 0, len));
        parseQuietly(() -> IcmpEcho.parse(b, 0, len));
        parseQuietly(() -> TcpOptions.parse(b, Math.min(20, len), len));
    }

    private interface Parse {
        Object run() throws MalformedPacketException;
    }

    private static void parseQuietly(Parse p) {
        try {
            p.run();
        } catch (MalformedPacketException expected) {
            assertThat(expected.reason()).isNotEqualTo(DropReason.NONE);
        }
    }
}
