package net.braid.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The per-packet calls the tunnel makes allocate nothing (measured with the JVM's per-thread allocation counter). */
class HotPathAllocationTest {

    @Test
    void perPacketCallsDoNotAllocate() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ByteBuffer v4 = ByteBuffer.allocateDirect(1500);
        v4.put(Captures.bytes(Captures.SYN4)).flip();
        ByteBuffer v6 = ByteBuffer.allocate(1500);
        v6.put(Captures.bytes(Captures.MLD_REPORT)).flip();
        ByteBuffer out = ByteBuffer.allocate(1500);
        long sink = 0;
        for (int round = 0; round < 2; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 200_000; i++) sink += onePacket(v4, v6, out);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            // The first round warms up (the JIT may allocate while it links call sites); the second must be clean.
            if (round == 1) assertThat(allocated).as("bytes allocated over 200k packets").isLessThan(1024);
        }
        assertThat(sink).isNotZero();
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
