package net.braid.interpose;

import java.nio.ByteBuffer;
import net.braid.packet.AddressPair;
import net.braid.packet.IpPacket;
import net.braid.packet.TcpHeader;
import net.braid.packet.UpperLayer;

/**
 * A transport flow as the app sees it: protocol, the app's address pair (source = the app) and
 * ports. Seed 000's PseudoTCP keyed flows by source port alone; two apps (or two destinations)
 * sharing a port number then collided, so here the whole 5-tuple is the key, IPv4 or IPv6.
 */
public record FlowKey(int protocol, AddressPair addresses, int srcPort, int dstPort) {

    /**
     * The key of a validated packet whose transport header was found at {@code upperLayer}
     * (from {@link IpPacket#upperLayer}); TCP and UDP both keep their ports in the first four bytes.
     */
    public static FlowKey of(ByteBuffer b, int ipOff, long upperLayer) {
        int l4 = UpperLayer.offset(upperLayer);
        return new FlowKey(UpperLayer.protocol(upperLayer), IpPacket.addresses(b, ipOff),
                TcpHeader.srcPort(b, l4), TcpHeader.dstPort(b, l4));
    }

    /** The pair to write on packets toward the app: the app's destination becomes our source. */
    public AddressPair replyAddresses() {
        return addresses.reversed();
    }

    @Override
    public String toString() {
        return switch (addresses) {
            case AddressPair.V4 v4 -> proto() + " " + v4(v4.src()) + ":" + srcPort + " -> " + v4(v4.dst()) + ":" + dstPort;
            case AddressPair.V6 v6 -> proto() + " [" + v6(v6.srcHi(), v6.srcLo()) + "]:" + srcPort
                    + " -> [" + v6(v6.dstHi(), v6.dstLo()) + "]:" + dstPort;
        };
    }

    private String proto() {
        return protocol == 6 ? "tcp" : protocol == 17 ? "udp" : "proto" + protocol;
    }

    private static String v4(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 0xFF) + "." + (a >>> 8 & 0xFF) + "." + (a & 0xFF);
    }

    private static String v6(long hi, long lo) {
        try {
            byte[] bytes = ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
            return java.net.InetAddress.getByAddress(bytes).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
