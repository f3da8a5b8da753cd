package net.braid.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An ICMP or ICMPv6 Echo Request or Reply in its IP packet (RFC 792 "Echo or Echo Reply
 * Message", RFC 4443 §4.1–4.2); the IP version follows from the address pair.
 */
public record IcmpEcho(AddressPair addresses, boolean request, int identifier, int sequence, byte[] data) {

    public int length() {
        return addresses.headerLength() + IcmpHeader.LENGTH + data.length;
    }

    /** The reply a host sends to this request: addresses swapped, same identifier, sequence and data. */
    public IcmpEcho reply() {
        return new IcmpEcho(addresses.reversed(), false, identifier, sequence, data);
    }

    public int write(ByteBuffer b, int off, int ttl) {
        int type = switch (addresses) {
            case AddressPair.V4 _ -> request ? IcmpHeader.V4_ECHO_REQUEST : IcmpHeader.V4_ECHO_REPLY;
            case AddressPair.V6 _ -> request ? IcmpHeader.V6_ECHO_REQUEST : IcmpHeader.V6_ECHO_REPLY;
        };
        int icmpLen = IcmpHeader.LENGTH + data.length;
        int protocol = addresses.icmpProtocol();
        int hl = addresses.writeHeader(b, off, protocol, icmpLen, ttl);
        IcmpHeader.write(b, off + hl, type, 0, identifier << 16 | sequence & 0xFFFF);
        b.put(off + hl + IcmpHeader.LENGTH, data);
        TransportChecksum.fill(b, off, protocol, off + hl, icmpLen);
        return hl + icmpLen;
    }

    /** Parses an IP packet carrying an echo request or reply, checksum verified. */
    public static IcmpEcho parse(ByteBuffer b, int off, int len) throws MalformedPacketException {
        boolean v4 = Ipv4Header.version(b, off) == 4;
        int icmp = UpperLayer.offset(IpPacket.requireTransport(b, off, len, v4 ? IpProtocol.ICMP : IpProtocol.ICMPV6));
        int type = IcmpHeader.type(b, icmp);
        boolean request;
        if (type == (v4 ? IcmpHeader.V4_ECHO_REQUEST : IcmpHeader.V6_ECHO_REQUEST)) request = true;
        else if (type == (v4 ? IcmpHeader.V4_ECHO_REPLY : IcmpHeader.V6_ECHO_REPLY)) request = false;
        else throw new MalformedPacketException(DropReason.UNEXPECTED_PROTOCOL, "ICMP type " + type + " is not an echo");
        byte[] data = new byte[off + IpPacket.length(b, off) - icmp - IcmpHeader.LENGTH];
        b.get(icmp + IcmpHeader.LENGTH, data);
        return new IcmpEcho(IpPacket.addresses(b, off), request, IcmpHeader.identifier(b, icmp), IcmpHeader.sequence(b, icmp), data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IcmpEcho e && addresses.equals(e.addresses) && request == e.request
                && identifier == e.identifier && sequence == e.sequence && Arrays.equals(data, e.data);
    }

    @Override
    public int hashCode() {
        return (addresses.hashCode() * 31 + identifier) * 31 + sequence + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "IcmpEcho[" + addresses + (request ? " request" : " reply") + " id=" + identifier + " seq=" + sequence
                + " " + HexFormat.of().formatHex(data) + "]";
    }
}
