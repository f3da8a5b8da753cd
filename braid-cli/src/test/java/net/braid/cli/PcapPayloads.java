package net.braid.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The UDP payloads in a classic pcap file of Ethernet frames (what {@code tcpdump -w} writes
 * for a veth): 24-byte global header, then per packet a 16-byte record header and the frame.
 * IPv4 (RFC 791) and IPv6 (RFC 8200, no extension headers) carrying UDP (RFC 768); anything
 * else, and frames cut short by the snap length, is skipped.
 */
final class PcapPayloads {
    private static final int MAGIC_MICROS = 0xa1b2c3d4;
    private static final int MAGIC_NANOS = 0xa1b23c4d;
    private static final int LINKTYPE_ETHERNET = 1;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86dd;
    private static final int PROTO_UDP = 17;

    private PcapPayloads() {}

    static List<byte[]> read(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.BIG_ENDIAN);
        if (file.length < 24) throw new IllegalArgumentException("pcap file too short: " + file.length + " bytes");
        int magic = b.getInt(0);
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            b.order(ByteOrder.LITTLE_ENDIAN);
            magic = b.getInt(0);
            if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
                throw new IllegalArgumentException("not a pcap file (magic " + Integer.toHexString(b.order(ByteOrder.BIG_ENDIAN).getInt(0)) + ")");
            }
        }
        int linkType = b.getInt(20);
        if (linkType != LINKTYPE_ETHERNET) throw new IllegalArgumentException("pcap link type " + linkType + ", expected Ethernet");
        List<byte[]> payloads = new ArrayList<>();
        int pos = 24;
        while (pos + 16 <= file.length) {
            int captured = b.getInt(pos + 8);
            int original = b.getInt(pos + 12);
            int frame = pos + 16;
            if (captured < 0 || frame + captured > file.length) break; // torn last record
            if (captured == original) {
                byte[] udp = udpPayload(ByteBuffer.wrap(file, frame, captured).slice());
                if (udp != null) payloads.add(udp);
            }
            pos = frame + captured;
        }
        return payloads;
    }

    private static byte[] udpPayload(ByteBuffer frame) {
        if (frame.limit() < 14) return null;
        int etherType = frame.getShort(12) & 0xffff;
        int ip = 14;
        int udp;
        if (etherType == ETHERTYPE_IPV4) {
            if (frame.limit() < ip + 20 || frame.get(ip + 9) != PROTO_UDP) return null;
            if ((frame.getShort(ip + 6) & 0x3fff) != 0) return null; // a fragment
            udp = ip + (frame.get(ip) & 0x0f) * 4;
        } else if (etherType == ETHERTYPE_IPV6) {
            if (frame.limit() < ip + 40 || frame.get(ip + 6) != PROTO_UDP) return null;
            udp = ip + 40;
        } else {
            return null;
        }
        if (frame.limit() < udp + 8) return null;
        int length = (frame.getShort(udp + 4) & 0xffff) - 8;
        if (length < 0 || udp + 8 + length > frame.limit()) return null;
        byte[] payload = new byte[length];
        frame.get(udp + 8, payload);
        return payload;
    }
}
