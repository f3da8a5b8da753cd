package net.braid.interpose.tcp;

import java.nio.ByteBuffer;
import net.braid.packet.AddressPair;
import net.braid.packet.IpPacket;
import net.braid.packet.IpProtocol;
import net.braid.packet.TcpHeader;
import net.braid.packet.TransportChecksum;

/** The RST that answers a segment for no connection (RFC 9293 §3.10.7.1, "If the state is CLOSED"). */
public final class TcpReset {
    private TcpReset() {}

    /**
     * Writes into {@code out} at 0 the reset for the validated segment at {@code tcpOff} of the
     * packet at {@code ipOff} ending at {@code end}, and returns its length, or 0 when the
     * segment is itself a reset (never answered).
     */
    public static int answer(ByteBuffer in, int ipOff, int tcpOff, int end, ByteBuffer out) {
        int flags = TcpHeader.flags(in, tcpOff);
        if ((flags & TcpHeader.RST) != 0) return 0;
        AddressPair back = IpPacket.addresses(in, ipOff).reversed();
        long seq;
        long ack;
        int outFlags;
        if ((flags & TcpHeader.ACK) != 0) {
            seq = TcpHeader.ack(in, tcpOff);
            ack = 0;
            outFlags = TcpHeader.RST;
        } else {
            int len = end - tcpOff - TcpHeader.headerLength(in, tcpOff);
            len += (flags & TcpHeader.SYN) != 0 ? 1 : 0;
            len += (flags & TcpHeader.FIN) != 0 ? 1 : 0;
            seq = 0;
            ack = (TcpHeader.seq(in, tcpOff) + len) & 0xFFFF_FFFFL;
            outFlags = TcpHeader.RST | TcpHeader.ACK;
        }
        int ip = back.writeHeader(out, 0, IpProtocol.TCP, TcpHeader.MIN_LENGTH, 64);
        TcpHeader.write(out, ip, TcpHeader.dstPort(in, tcpOff), TcpHeader.srcPort(in, tcpOff), seq, ack,
                TcpHeader.MIN_LENGTH, outFlags, 0, 0);
        TransportChecksum.fill(out, 0, IpProtocol.TCP, ip, TcpHeader.MIN_LENGTH);
        return ip + TcpHeader.MIN_LENGTH;
    }
}
