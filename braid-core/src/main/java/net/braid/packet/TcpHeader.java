package net.braid.packet;

import java.nio.ByteBuffer;

/**
 * The TCP header (RFC 9293 §3.1), read and written in place.
 *
 * <pre>
 *  0-1 source port   2-3 destination port   4-7 sequence number   8-11 acknowledgment number
 *  12  data offset(4) reserved(4)   13 flags CWR ECE URG ACK PSH RST SYN FIN
 *  14-15 window   16-17 checksum   18-19 urgent pointer   20.. options
 * </pre>
 */
public final class TcpHeader {
    public static final int MIN_LENGTH = 20;
    public static final int MAX_LENGTH = 60;

    /** Control bits in byte 13 (RFC 9293 §3.1; CWR and ECE from RFC 3168 §6.1). */
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    private TcpHeader() {}

    public static int srcPort(ByteBuffer b, int off) {
        return NetworkOrder.u16(b, off);
    }

    public static int dstPort(ByteBuffer b, int off) {
        return NetworkOrder.u16(b, off + 2);
    }

    /** Sequence number as an unsigned 32-bit value. */
    public static long seq(ByteBuffer b, int off) {
        return NetworkOrder.u32(b, off + 4);
    }

    public static long ack(ByteBuffer b, int off) {
        return NetworkOrder.u32(b, off + 8);
    }

    /** Header length in bytes (data offset × 4). */
    public static int headerLength(ByteBuffer b, int off) {
        return (NetworkOrder.u8(b, off + 12) >>> 4) * 4;
    }

    public static int flags(ByteBuffer b, int off) {
        return NetworkOrder.u8(b, off + 13);
    }

    public static boolean has(ByteBuffer b, int off, int flag) {
        return (flags(b, off) & flag) != 0;
    }

    /** The raw (unscaled) window field. */
    public static int window(ByteBuffer b, int off) {
        return NetworkOrder.u16(b, off + 14);
    }

    public static int checksum(ByteBuffer b, int off) {
        return NetworkOrder.u16(b, off + 16);
    }

    public static int urgentPointer(ByteBuffer b, int off) {
        return NetworkOrder.u16(b, off + 18);
    }

    public static void setSrcPort(ByteBuffer b, int off, int port) {
        NetworkOrder.put16(b, off, port);
    }

    public static void setDstPort(ByteBuffer b, int off, int port) {
        NetworkOrder.put16(b, off + 2, port);
    }

    public static void setSeq(ByteBuffer b, int off, long seq) {
        NetworkOrder.put32(b, off + 4, (int) seq);
    }

    public static void setAck(ByteBuffer b, int off, long ack) {
        NetworkOrder.put32(b, off + 8, (int) ack);
    }

    public static void setFlags(ByteBuffer b, int off, int flags) {
        NetworkOrder.put8(b, off + 13, flags);
    }

    public static void setWindow(ByteBuffer b, int off, int window) {
        NetworkOrder.put16(b, off + 14, window);
    }

    public static void setChecksum(ByteBuffer b, int off, int checksum) {
        NetworkOrder.put16(b, off + 16, checksum);
    }

    /**
     * Writes the 20 fixed bytes with a zero checksum; {@code headerLength} (20–60, a multiple of
     * 4) sets the data offset for options the caller writes after it.
     */
    public static int write(ByteBuffer b, int off, int srcPort, int dstPort, long seq, long ack,
                            int headerLength, int flags, int window, int urgentPointer) {
        NetworkOrder.put16(b, off, srcPort);
        NetworkOrder.put16(b, off + 2, dstPort);
        NetworkOrder.put32(b, off + 4, (int) seq);
        NetworkOrder.put32(b, off + 8, (int) ack);
        NetworkOrder.put8(b, off + 12, headerLength / 4 << 4);
        NetworkOrder.put8(b, off + 13, flags);
        NetworkOrder.put16(b, off + 14, window);
        NetworkOrder.put16(b, off + 16, 0);
        NetworkOrder.put16(b, off + 18, urgentPointer);
        return MIN_LENGTH;
    }

    /**
     * Checks the {@code len} bytes at {@code off} hold a TCP header whose data offset is at
     * least 5 and within {@code len}, and whose options are well formed. The checksum is
     * checked separately, by {@link TransportChecksum#valid}.
     */
    public static DropReason validate(ByteBuffer b, int off, int len) {
        if (len < MIN_LENGTH) return DropReason.TRUNCATED_HEADER;
        int hl = headerLength(b, off);
        if (hl < MIN_LENGTH || hl > len) return DropReason.BAD_HEADER_LENGTH;
        if (!TcpOptions.wellFormed(b, off + MIN_LENGTH, off + hl)) return DropReason.BAD_EXTENSION;
        return DropReason.NONE;
    }

    /**
     * Lowers the MSS option of a SYN to at most {@code maxMss} and patches the checksum
     * incrementally (RFC 1624), the clamp a tunnel applies so peers fit its smaller MTU.
     * Returns true if it changed the segment. The header must have passed {@link #validate}.
     */
    public static boolean clampMss(ByteBuffer b, int off, int maxMss) {
        if (!has(b, off, SYN)) return false;
        int at = TcpOptions.find(b, off + MIN_LENGTH, off + headerLength(b, off), TcpOptions.KIND_MSS);
        if (at < 0 || NetworkOrder.u8(b, at + 1) != 4) return false;
        int mss = NetworkOrder.u16(b, at + 2);
        if (mss <= maxMss) return false;
        NetworkOrder.put16(b, at + 2, maxMss);
        // The MSS value is 16-bit aligned only if the option starts at an even offset from the header.
        if (((at - off) & 1) == 0) {
            setChecksum(b, off, InternetChecksum.update16(checksum(b, off), mss, maxMss));
        } else {
            // Odd alignment: the value straddles two checksum words; byte-swap each side (RFC 1071 §2(B)).
            int c = InternetChecksum.update16(checksum(b, off), Short.reverseBytes((short) mss) & 0xFFFF,
                    Short.reverseBytes((short) maxMss) & 0xFFFF);
            setChecksum(b, off, c);
        }
        return true;
    }
}
