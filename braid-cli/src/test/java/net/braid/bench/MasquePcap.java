package net.braid.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the UDP datagrams of a classic pcap file (tcpdump -w) taken on an Ethernet device: for
 * each one its ports, its UDP payload length from the UDP header (so a short snap length still
 * gives whole sizes) and the first captured bytes of the payload. Pure: works on the file's bytes.
 */
final class MasquePcap {
    private static final int MAGIC_MICROS = 0xa1b2c3d4;
    private static final int MAGIC_NANOS = 0xa1b23c4d;
    private static final int LINKTYPE_ETHERNET = 1;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86dd;
    private static final int PROTO_UDP = 17;

    /**
     * One UDP datagram seen on the wire.
     *
     * @param payloadLength the UDP payload's length (UDP length field − 8, RFC 768)
     * @param head the captured start of the payload (up to the snap length)
     * @param fragment true when the IPv4 packet was a fragment (MF set or offset ≠ 0); only the first carries the UDP header
     */
    record Datagram(int sourcePort, int destinationPort, int payloadLength, byte[] head, boolean fragment) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Datagram d && d.sourcePort == sourcePort && d.destinationPort == destinationPort
                    && d.payloadLength == payloadLength && Arrays.equals(d.head, head) && d.fragment == fragment;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * sourcePort + destinationPort) + payloadLength;
        }

        @Override
        public String toString() {
            return "Datagram[" + sourcePort + " > " + destinationPort + ", " + payloadLength + " B" + (fragment ? ", fragment" : "") + "]";
        }
    }

    /** What the capture held: its UDP datagrams, and how many IPv4 fragments that were not first fragments. */
    record Capture(List<Datagram> datagrams, int laterFragments) {}

    private MasquePcap() {}

    /** @throws IllegalArgumentException when {@code file} is not a pcap of an Ethernet device */
    static Capture parse(byte[] file) {
        if (file.length < 24) throw new IllegalArgumentException("not a pcap file: " + file.length + " bytes");
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
            if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
                throw new IllegalArgumentException("not a pcap file: magic 0x" + Integer.toHexString(magic));
            }
        }
        int linkType = b.getInt(20);
        if (linkType != LINKTYPE_ETHERNET) throw new IllegalArgumentException("pcap link type " + linkType + ", not Ethernet (1)");
        List<Datagram> out = new ArrayList<>();
        int laterFragments = 0;
        int at = 24;
        while (at + 16 <= file.length) {
            int captured = b.getInt(at + 8);
            int start = at + 16;
            if (captured < 0 || start + captured > file.length) break; // cut short while tcpdump stopped
            Datagram d = datagram(ByteBuffer.wrap(file, start, captured).slice().order(ByteOrder.BIG_ENDIAN));
            if (d == LATER_FRAGMENT) {
                laterFragments++;
            } else if (d != null) {
                out.add(d);
            }
            at = start + captured;
        }
        return new Capture(List.copyOf(out), laterFragments);
    }

    private static final Datagram LATER_FRAGMENT = new Datagram(0, 0, 0, new byte[0], true);

    /** The UDP datagram in one Ethernet frame; null for anything else. */
    private static Datagram datagram(ByteBuffer frame) {
        if (frame.remaining() < 14) return null;
        int etherType = frame.getShort(12) & 0xffff;
        int ip = 14;
        int udp;
        boolean fragment = false;
        if (etherType == ETHERTYPE_IPV4) {
            if (frame.remaining() < ip + 20) return null;
            int ihl = (frame.get(ip) & 0x0f) * 4;
            int flagsOffset = frame.getShort(ip + 6) & 0xffff;
            boolean moreFragments = (flagsOffset & 0x2000) != 0;
            int offset = flagsOffset & 0x1fff;
            if ((frame.get(ip + 9) & 0xff) != PROTO_UDP) return null;
            if (offset != 0) return LATER_FRAGMENT;
            fragment = moreFragments;
            udp = ip + ihl;
        } else if (etherType == ETHERTYPE_IPV6) {
            // Extension headers are not followed: the test bed's traffic has none.
            if (frame.remaining() < ip + 40 || (frame.get(ip + 6) & 0xff) != PROTO_UDP) return null;
            udp = ip + 40;
        } else {
            return null;
        }
        if (frame.remaining() < udp + 8) return null;
        int sourcePort = frame.getShort(udp) & 0xffff;
        int destinationPort = frame.getShort(udp + 2) & 0xffff;
        int udpLength = frame.getShort(udp + 4) & 0xffff;
        int headLength = Math.max(0, Math.min(frame.remaining() - udp - 8, udpLength - 8));
        byte[] head = new byte[headLength];
        frame.get(udp + 8, head);
        return new Datagram(sourcePort, destinationPort, udpLength - 8, head, fragment);
    }
}
