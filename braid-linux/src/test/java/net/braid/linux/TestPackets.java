package net.braid.linux;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/** Hand-built IPv4/IPv6 UDP packets for the TUN tests, checksums computed here. */
final class TestPackets {
    private TestPackets() {}

    static final int UDP = 17;

    /** RFC 1071 ones' complement sum of 16-bit words, folded; not yet inverted. */
    static int onesComplementSum(byte[] data, int offset, int length, int initial) {
        long sum = initial;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((data[offset + i] & 0xff) << 8) | (data[offset + i + 1] & 0xff);
        }
        if ((length & 1) != 0) sum += (data[offset + length - 1] & 0xff) << 8;
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        return (int) sum;
    }

    /** IPv4 (RFC 791 §3.1, 20-byte header) + UDP (RFC 768) with UDP checksum 0 (allowed for IPv4). */
    static byte[] udp4(Inet4Address src, int srcPort, Inet4Address dst, int dstPort, byte[] payload) {
        int total = 20 + 8 + payload.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.put((byte) 0x45).put((byte) 0).putShort((short) total);
        b.putShort((short) 0x1234).putShort((short) 0x4000); // id, DF
        b.put((byte) 64).put((byte) UDP).putShort((short) 0); // ttl, protocol, checksum later
        b.put(src.getAddress()).put(dst.getAddress());
        b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + payload.length)).putShort((short) 0);
        b.put(payload);
        byte[] packet = b.array();
        int checksum = ~onesComplementSum(packet, 0, 20, 0) & 0xffff;
        packet[10] = (byte) (checksum >> 8);
        packet[11] = (byte) checksum;
        return packet;
    }

    /** IPv6 (RFC 8200 §3) + UDP with the mandatory checksum over the pseudo-header (RFC 8200 §8.1). */
    static byte[] udp6(Inet6Address src, int srcPort, Inet6Address dst, int dstPort, byte[] payload) {
        int udpLength = 8 + payload.length;
        ByteBuffer b = ByteBuffer.allocate(40 + udpLength);
        b.putInt(0x60000000).putShort((short) udpLength).put((byte) UDP).put((byte) 64);
        b.put(src.getAddress()).put(dst.getAddress());
        b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) udpLength).putShort((short) 0);
        b.put(payload);
        byte[] packet = b.array();
        // Pseudo-header: source, destination (bytes 8..40), upper-layer length, next header.
        int sum = onesComplementSum(packet, 8, 32, udpLength + UDP);
        sum = onesComplementSum(packet, 40, udpLength, sum);
        int checksum = ~sum & 0xffff;
        if (checksum == 0) checksum = 0xffff;
        packet[46] = (byte) (checksum >> 8);
        packet[47] = (byte) checksum;
        return packet;
    }

    /** The UDP payload if the packet is IPv4 or IPv6 UDP to this address and port, else null. */
    static byte[] udpPayloadTo(ByteBuffer packet, InetAddress dst, int dstPort) {
        byte[] p = new byte[packet.remaining()];
        packet.duplicate().get(p);
        int version = (p[0] & 0xff) >> 4;
        int header;
        byte[] to;
        if (version == 4 && dst instanceof Inet4Address && p[9] == UDP) {
            header = (p[0] & 0x0f) * 4;
            to = java.util.Arrays.copyOfRange(p, 16, 20);
        } else if (version == 6 && dst instanceof Inet6Address && p[6] == UDP) {
            header = 40;
            to = java.util.Arrays.copyOfRange(p, 24, 40);
        } else {
            return null;
        }
        int port = ((p[header + 2] & 0xff) << 8) | (p[header + 3] & 0xff);
        if (!java.util.Arrays.equals(to, dst.getAddress()) || port != dstPort) return null;
        return java.util.Arrays.copyOfRange(p, header + 8, p.length);
    }
}
