package net.braid.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A whole UDP/IP packet (RFC 768): addresses, ports and data. The static {@link #write} builds
 * one straight into a buffer without allocating; the record form is for parsing and tests.
 */
public record UdpDatagram(AddressPair addresses, int srcPort, int dstPort, byte[] payload) {

    /** Total IP packet length. */
    public int length() {
        return addresses.headerLength() + UdpHeader.LENGTH + payload.length;
    }

    /** Writes the IP packet at {@code off} and returns its length. */
    public int write(ByteBuffer b, int off, int ttl) {
        return write(b, off, addresses, ttl, srcPort, dstPort, ByteBuffer.wrap(payload));
    }

    /**
     * Writes IP header, UDP header and the {@code payload} bytes between its position and limit
     * (the payload's position is not moved), with lengths and checksum filled in. Returns the
     * packet length.
     */
    public static int write(ByteBuffer b, int off, AddressPair ips, int ttl, int srcPort, int dstPort, ByteBuffer payload) {
        int udpLen = UdpHeader.LENGTH + payload.remaining();
        int hl = ips.writeHeader(b, off, IpProtocol.UDP, udpLen, ttl);
        int udp = off + hl;
        UdpHeader.write(b, udp, srcPort, dstPort, udpLen);
        b.put(udp + UdpHeader.LENGTH, payload, payload.position(), payload.remaining());
        TransportChecksum.fill(b, off, IpProtocol.UDP, udp, udpLen);
        return hl + udpLen;
    }

    /** Parses a whole IP packet carrying one UDP datagram, checksum verified. */
    public static UdpDatagram parse(ByteBuffer b, int off, int len) throws MalformedPacketException {
        int udp = UpperLayer.offset(IpPacket.requireTransport(b, off, len, IpProtocol.UDP));
        byte[] data = new byte[UdpHeader.length(b, udp) - UdpHeader.LENGTH];
        b.get(udp + UdpHeader.LENGTH, data);
        return new UdpDatagram(IpPacket.addresses(b, off), UdpHeader.srcPort(b, udp), UdpHeader.dstPort(b, udp), data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UdpDatagram d && addresses.equals(d.addresses) && srcPort == d.srcPort
                && dstPort == d.dstPort && Arrays.equals(payload, d.payload);
    }

    @Override
    public int hashCode() {
        return (addresses.hashCode() * 31 + srcPort) * 31 + dstPort + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "UdpDatagram[" + addresses + " " + srcPort + "->" + dstPort + " " + HexFormat.of().formatHex(payload) + "]";
    }
}
