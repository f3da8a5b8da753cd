package net.braid.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import net.braid.testing.SteadyAllocation;
import org.junit.jupiter.api.Test;

/** The per-packet calls the tunnel makes allocate nothing (measured with the JVM's per-thread allocation counter). */
class HotPathAllocationTest {

    @Test
    void perPacketCallsDoNotAllocate() {
        ByteBuffer v4 = ByteBuffer.allocateDirect(1500);
        v4.put(Captures.bytes(Captures.SYN4)).flip();
        ByteBuffer v6 = ByteBuffer.allocate(1500);
        v6.put(Captures.bytes(Captures.MLD_REPORT)).flip();
        ByteBuffer out = ByteBuffer.allocate(1500);
        long[] sink = {0};
        SteadyAllocation.assertAllocatesNothing("packets", 200_000, () -> {
            for (int i = 0; i < 200_000; i++) sink[0] += onePacket(v4, v6, out);
        });
        assertThat(sink[0]).isNotZero();
    }

    private static long onePacket(ByteBuffer v4, ByteBuffer v6, ByteBuffer out) {
        long s = 0;
        if (IpPacket.validate(v4) == DropReason.NONE && IpPacket.version(v4) == 4) s += IpPacket.ipv4Dst(v4);
        if (IpPacket.validate(v6) == DropReason.NONE) s += IpPacket.ipv6DstHi(v6) ^ IpPacket.ipv6DstLo(v6);
        s += IpPacket.validateTransport(v4, 0, v4.remaining()).ordinal();
        s += UpperLayer.offset(IpPacket.upperLayer(v6, 0, v6.remaining()));
        s += InternetChecksum.sum(v4, 0, v4.remaining());
        Ipv4Header.setTtl(v4, 0, 64);
        Ipv4Header.updateChecksum(v4, 0);
        s += Ipv4Header.decrementTtl(v4, 0);
        TcpHeader.clampMss(v4, 20, 1400);
        s += IcmpError.packetTooBig(out, 0, 1, 2, 1280, v6, 0, v6.remaining());
        return s;
    }
}
