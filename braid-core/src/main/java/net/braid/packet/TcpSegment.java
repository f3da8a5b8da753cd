package net.braid.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A whole TCP/IP packet (RFC 9293 §3.1): addresses, header fields, options and data. The static
 * {@link #write} builds one straight into a buffer; the record form is for parsing and tests.
 *
 * @param flags control bits, {@link TcpHeader#SYN} etc.
 */
public record TcpSegment(AddressPair addresses, int srcPort, int dstPort, long seq, long ack, int flags,
                         int window, int urgentPointer, TcpOptions options, byte[] payload) {

    public TcpSegment {
        if (seq >>> 32 != 0 || ack >>> 32 != 0) throw new IllegalArgumentException("sequence numbers are 32-bit");
    }

    /** Total IP packet length. */
    public int length() {
        return addresses.headerLength() + TcpHeader.MIN_LENGTH + options.length() + payload.length;
    }

    public int write(ByteBuffer b, int off, int ttl) {
        return write(b, off, addresses, ttl, srcPort, dstPort, seq, ack, flags, window, urgentPointer, options, ByteBuffer.wrap(payload));
    }

    /**
     * Writes IP header, TCP header with options, and the {@code payload} bytes between its
     * position and limit (not moved), with lengths and checksum filled in. Returns the packet length.
     */
    public static int write(ByteBuffer b, int off, AddressPair ips, int ttl, int srcPort, int dstPort, long seq, long ack,
                            int flags, int window, int urgentPointer, TcpOptions options, ByteBuffer payload) {
        int tcpHl = TcpHeader.MIN_LENGTH + options.length();
        int tcpLen = tcpHl + payload.remaining();
        int hl = ips.writeHeader(b, off, IpProtocol.TCP, tcpLen, ttl);
        int tcp = off + hl;
        TcpHeader.write(b, tcp, srcPort, dstPort, seq, ack, tcpHl, flags, window, urgentPointer);
        options.write(b, tcp + TcpHeader.MIN_LENGTH);
        b.put(tcp + tcpHl, payload, payload.position(), payload.remaining());
        TransportChecksum.fill(b, off, IpProtocol.TCP, tcp, tcpLen);
        return hl + tcpLen;
    }

    /** Parses a whole IP packet carrying one TCP segment, checksum verified. */
    public static TcpSegment parse(ByteBuffer b, int off, int len) throws MalformedPacketException {
        int tcp = UpperLayer.offset(IpPacket.requireTransport(b, off, len, IpProtocol.TCP));
        int hl = TcpHeader.headerLength(b, tcp);
        int end = off + IpPacket.length(b, off);
        byte[] data = new byte[end - tcp - hl];
        b.get(tcp + hl, data);
        return new TcpSegment(IpPacket.addresses(b, off), TcpHeader.srcPort(b, tcp), TcpHeader.dstPort(b, tcp),
                TcpHeader.seq(b, tcp), TcpHeader.ack(b, tcp), TcpHeader.flags(b, tcp), TcpHeader.window(b, tcp),
                TcpHeader.urgentPointer(b, tcp), TcpOptions.parse(b, tcp + TcpHeader.MIN_LENGTH, tcp + hl), data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcpSegment s && addresses.equals(s.addresses) && srcPort == s.srcPort && dstPort == s.dstPort
                && seq == s.seq && ack == s.ack && flags == s.flags && window == s.window
                && urgentPointer == s.urgentPointer && options.equals(s.options) && Arrays.equals(payload, s.payload);
    }

    @Override
    public int hashCode() {
        return ((addresses.hashCode() * 31 + srcPort) * 31 + dstPort) * 31 + Long.hashCode(seq) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "TcpSegment[" + addresses + " " + srcPort + "->" + dstPort + " seq=" + seq + " ack=" + ack
                + " flags=0x" + Integer.toHexString(flags) + " win=" + window + " urg=" + urgentPointer + " " + options
                + " " + HexFormat.of().formatHex(payload) + "]";
    }
}
