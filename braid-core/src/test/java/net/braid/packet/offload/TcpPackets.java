package net.braid.packet.offload;

import java.nio.ByteBuffer;
import net.braid.packet.InternetChecksum;
import net.braid.packet.IpProtocol;
import net.braid.packet.Ipv4Header;
import net.braid.packet.Ipv6Header;
import net.braid.packet.TcpHeader;
import net.braid.packet.TransportChecksum;

/** Builds TCP/IP packets for the offload tests, with valid checksums unless told otherwise. */
record TcpPackets(boolean v6, int src4, int dst4, long srcHi, long srcLo, long dstHi, long dstLo,
                  int srcPort, int dstPort, int tos, int ttl, boolean df) {

    static TcpPackets v4(int src, int dst, int srcPort, int dstPort) {
        return new TcpPackets(false, src, dst, 0, 0, 0, 0, srcPort, dstPort, 0, 64, true);
    }

    static TcpPackets v6(long srcLo, long dstLo, int srcPort, int dstPort) {
        return new TcpPackets(true, 0, 0, 0x20010db8_00000000L, srcLo, 0x20010db8_00000000L, dstLo, srcPort, dstPort,
                0x12, 64, false);
    }

    int ipHeaderLength() {
        return v6 ? Ipv6Header.LENGTH : Ipv4Header.MIN_LENGTH;
    }

    /** A packet with exactly its bytes, position 0. */
    ByteBuffer packet(int id, long seq, long ack, int flags, int window, byte[] options, byte[] payload) {
        int ipHl = ipHeaderLength();
        int thl = TcpHeader.MIN_LENGTH + options.length;
        int total = ipHl + thl + payload.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        writeIp(b, 0, total, id);
        TcpHeader.write(b, ipHl, srcPort, dstPort, seq, ack, thl, flags, window, 0);
        b.put(ipHl + TcpHeader.MIN_LENGTH, options);
        b.put(ipHl + thl, payload);
        TransportChecksum.fill(b, 0, IpProtocol.TCP, ipHl, total - ipHl);
        return b;
    }

    /**
     * A super-packet as a TUN with offloads hands it out: virtio-net header (NEEDS_CSUM,
     * TCPv4/6) and the packet with the pseudo-header sum in the TCP checksum field.
     */
    ByteBuffer superPacket(int id, long seq, long ack, int flags, int window, byte[] options, byte[] payload, int gsoSize) {
        ByteBuffer p = packet(id, seq, ack, flags, window, options, payload);
        int ipHl = ipHeaderLength();
        int tcpLen = p.capacity() - ipHl;
        TcpHeader.setChecksum(p, ipHl, InternetChecksum.pseudoHeader(p, 0, IpProtocol.TCP, tcpLen));
        ByteBuffer b = ByteBuffer.allocate(VirtioNetHeader.LENGTH + p.capacity());
        int gsoType = (v6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4)
                | ((flags & TcpHeader.CWR) != 0 ? VirtioNetHeader.GSO_ECN : 0);
        VirtioNetHeader.write(b, 0, VirtioNetHeader.F_NEEDS_CSUM, gsoType,
                ipHl + TcpHeader.MIN_LENGTH + options.length, gsoSize, ipHl, 16);
        b.put(VirtioNetHeader.LENGTH, p, 0, p.capacity());
        return b;
    }

    private void writeIp(ByteBuffer b, int off, int total, int id) {
        if (v6) {
            Ipv6Header.write(b, off, tos, 0xabcde, total - Ipv6Header.LENGTH, IpProtocol.TCP, ttl, srcHi, srcLo, dstHi, dstLo);
        } else {
            Ipv4Header.write(b, off, tos, total, id, df ? Ipv4Header.DONT_FRAGMENT : 0, ttl, IpProtocol.TCP, src4, dst4);
        }
    }

    static byte[] pattern(int length, int step) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) p[i] = (byte) (i * step);
        return p;
    }
}
