package net.braid.packet;

import java.nio.ByteBuffer;

/**
 * The UDP header (RFC 768), read and written in place: source port, destination port, length
 * (header plus data), checksum, each 16 bits.
 */
public final class UdpHeader {
    public static final int LENGTH = 8;

    private UdpHeader() {}

    public static int srcPort(ByteBuffer b, int off) {
        return NetworkOrder.u16(b, off);
    }

    public static int dstPort(ByteBuffer b, int off) {
        return NetworkOrder.u16(b, off + 2);
    }

    public static int length(ByteBuffer b, int off) {
        return NetworkOrder.u16(b, off + 4);
    }

    public static int checksum(ByteBuffer b, int off) {
        return NetworkOrder.u16(b, off + 6);
    }

    public static void setSrcPort(ByteBuffer b, int off, int port) {
        NetworkOrder.put16(b, off, port);
    }

    public static void setDstPort(ByteBuffer b, int off, int port) {
        NetworkOrder.put16(b, off + 2, port);
    }

    public static void setLength(ByteBuffer b, int off, int length) {
        NetworkOrder.put16(b, off + 4, length);
    }

    public static void setChecksum(ByteBuffer b, int off, int checksum) {
        NetworkOrder.put16(b, off + 6, checksum);
    }

    /** Writes the header with a zero checksum; fill it with {@link TransportChecksum#fill} once the data is in place. */
    public static int write(ByteBuffer b, int off, int srcPort, int dstPort, int length) {
        NetworkOrder.put16(b, off, srcPort);
        NetworkOrder.put16(b, off + 2, dstPort);
        NetworkOrder.put16(b, off + 4, length);
        NetworkOrder.put16(b, off + 6, 0);
        return LENGTH;
    }

    /**
     * Checks the {@code len} bytes at {@code off} (what the IP layer says follows it) hold a
     * UDP header whose length field lies between 8 and {@code len}. The checksum is checked
     * separately, by {@link TransportChecksum#valid}.
     */
    public static DropReason validate(ByteBuffer b, int off, int len) {
        if (len < LENGTH) return DropReason.TRUNCATED_HEADER;
        int l = length(b, off);
        if (l < LENGTH || l > len) return DropReason.BAD_TOTAL_LENGTH;
        return DropReason.NONE;
    }
}
