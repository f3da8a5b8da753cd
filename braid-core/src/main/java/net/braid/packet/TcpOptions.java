package net.braid.packet;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCP options braid reads and writes: MSS (RFC 9293 §3.2), window scale, timestamps (RFC
 * 7323), SACK-permitted and SACK blocks (RFC 2018). Absent numeric options are -1.
 *
 * <p>{@link #write} lays options out as Linux does (tcp_options_write), each group padded with
 * NOPs to a 32-bit boundary, so segments we synthesize look like the kernel's own. Parsing
 * ignores unknown kinds and known kinds of the wrong length (as Linux does); only a structure
 * that runs past the header is malformed.
 *
 * @param mss         maximum segment size, or -1
 * @param windowScale shift count 0–14, or -1
 * @param timestamps  whether TSval/TSecr are present
 * @param sackBlocks  up to 4 blocks (3 with timestamps) of [left, right) sequence numbers
 */
public record TcpOptions(int mss, int windowScale, boolean sackPermitted, boolean timestamps,
                         long tsVal, long tsEcr, List<SackBlock> sackBlocks) {
    public static final int KIND_END = 0;
    public static final int KIND_NOP = 1;
    public static final int KIND_MSS = 2;
    public static final int KIND_WINDOW_SCALE = 3;
    public static final int KIND_SACK_PERMITTED = 4;
    public static final int KIND_SACK = 5;
    public static final int KIND_TIMESTAMPS = 8;
    /** RFC 7323 §2.3: larger shifts are treated as 14. */
    public static final int MAX_WINDOW_SCALE = 14;
    public static final int MAX_LENGTH = 40;

    public static final TcpOptions NONE = new TcpOptions(-1, -1, false, false, 0, 0, List.of());

    /** A SACK block: the first sequence number received and the one after the last. */
    public record SackBlock(long left, long right) {
        public SackBlock {
            if (left >>> 32 != 0 || right >>> 32 != 0) throw new IllegalArgumentException("sequence numbers are 32-bit");
        }
    }

    public TcpOptions {
        if (mss < -1 || mss > 0xFFFF) throw new IllegalArgumentException("mss " + mss);
        if (windowScale < -1 || windowScale > MAX_WINDOW_SCALE) throw new IllegalArgumentException("window scale " + windowScale);
        if (tsVal >>> 32 != 0 || tsEcr >>> 32 != 0) throw new IllegalArgumentException("timestamps are 32-bit");
        if (!timestamps && (tsVal != 0 || tsEcr != 0)) throw new IllegalArgumentException("timestamp values without timestamps");
        sackBlocks = List.copyOf(sackBlocks);
        if (sackBlocks.size() > 4) throw new IllegalArgumentException("at most 4 SACK blocks");
        if (length(mss, windowScale, sackPermitted, timestamps, sackBlocks.size()) > MAX_LENGTH) {
            throw new IllegalArgumentException("options exceed 40 bytes");
        }
    }

    /** Options of a SYN: MSS, SACK-permitted, timestamps (none if {@code tsVal} is -1), window scale. */
    public static TcpOptions syn(int mss, int windowScale, boolean sackPermitted, long tsVal) {
        return new TcpOptions(mss, windowScale, sackPermitted, tsVal >= 0, Math.max(tsVal, 0), 0, List.of());
    }

    /** Encoded length in bytes, a multiple of 4. */
    public int length() {
        return length(mss, windowScale, sackPermitted, timestamps, sackBlocks.size());
    }

    private static int length(int mss, int ws, boolean sackPermitted, boolean ts, int blocks) {
        int n = 0;
        if (mss >= 0) n += 4;
        if (ts) n += 12;
        if (sackPermitted && !ts) n += 4;
        if (ws >= 0) n += 4;
        if (blocks > 0) n += 4 + 8 * blocks;
        return n;
    }

    /** Writes the options at {@code off} and returns their length. */
    public int write(ByteBuffer b, int off) {
        int p = off;
        if (mss >= 0) {
            NetworkOrder.put32(b, p, KIND_MSS << 24 | 4 << 16 | mss);
            p += 4;
        }
        if (timestamps) {
            int lead = sackPermitted ? KIND_SACK_PERMITTED << 8 | 2 : KIND_NOP << 8 | KIND_NOP;
            NetworkOrder.put32(b, p, lead << 16 | KIND_TIMESTAMPS << 8 | 10);
            NetworkOrder.put32(b, p + 4, (int) tsVal);
            NetworkOrder.put32(b, p + 8, (int) tsEcr);
            p += 12;
        } else if (sackPermitted) {
            NetworkOrder.put32(b, p, KIND_NOP << 24 | KIND_NOP << 16 | KIND_SACK_PERMITTED << 8 | 2);
            p += 4;
        }
        if (windowScale >= 0) {
            NetworkOrder.put32(b, p, KIND_NOP << 24 | KIND_WINDOW_SCALE << 16 | 3 << 8 | windowScale);
            p += 4;
        }
        if (!sackBlocks.isEmpty()) {
            NetworkOrder.put32(b, p, KIND_NOP << 24 | KIND_NOP << 16 | KIND_SACK << 8 | 2 + 8 * sackBlocks.size());
            p += 4;
            for (SackBlock s : sackBlocks) {
                NetworkOrder.put32(b, p, (int) s.left());
                NetworkOrder.put32(b, p + 4, (int) s.right());
                p += 8;
            }
        }
        return p - off;
    }

    /** Parses the options between {@code start} and {@code end} (the end of the TCP header). */
    public static TcpOptions parse(ByteBuffer b, int start, int end) throws MalformedPacketException {
        if (!wellFormed(b, start, end)) throw new MalformedPacketException(DropReason.BAD_EXTENSION, "TCP options overrun the header");
        int mss = -1;
        int ws = -1;
        boolean sackOk = false;
        boolean ts = false;
        long tsVal = 0;
        long tsEcr = 0;
        List<SackBlock> blocks = List.of();
        int p = start;
        while (p < end) {
            int kind = NetworkOrder.u8(b, p);
            if (kind == KIND_END) break;
            if (kind == KIND_NOP) {
                p++;
                continue;
            }
            int len = NetworkOrder.u8(b, p + 1);
            switch (kind) {
                case KIND_MSS -> { if (len == 4) mss = NetworkOrder.u16(b, p + 2); }
                case KIND_WINDOW_SCALE -> { if (len == 3) ws = Math.min(NetworkOrder.u8(b, p + 2), MAX_WINDOW_SCALE); }
                case KIND_SACK_PERMITTED -> { if (len == 2) sackOk = true; }
                case KIND_TIMESTAMPS -> {
                    if (len == 10) {
                        ts = true;
                        tsVal = NetworkOrder.u32(b, p + 2);
                        tsEcr = NetworkOrder.u32(b, p + 6);
                    }
                }
                case KIND_SACK -> {
                    if (len >= 10 && (len - 2) % 8 == 0) {
                        var list = new ArrayList<SackBlock>((len - 2) / 8);
                        for (int q = p + 2; q < p + len; q += 8) {
                            list.add(new SackBlock(NetworkOrder.u32(b, q), NetworkOrder.u32(b, q + 4)));
                        }
                        blocks = list;
                    }
                }
                default -> { }
            }
            p += len;
        }
        return new TcpOptions(mss, ws, sackOk, ts, tsVal, tsEcr, blocks);
    }

    /**
     * True if every option between {@code start} and {@code end} has a length byte inside the
     * range, at least 2, that does not run past {@code end}. Allocation-free.
     */
    public static boolean wellFormed(ByteBuffer b, int start, int end) {
        int p = start;
        while (p < end) {
            int kind = NetworkOrder.u8(b, p);
            if (kind == KIND_END) return true;
            if (kind == KIND_NOP) {
                p++;
                continue;
            }
            if (p + 2 > end) return false;
            int len = NetworkOrder.u8(b, p + 1);
            if (len < 2 || len > end - p) return false;
            p += len;
        }
        return true;
    }

    /**
     * The offset of the first option of {@code kind} between {@code start} and {@code end},
     * or -1. Allocation-free; stops at the first malformed option.
     */
    public static int find(ByteBuffer b, int start, int end, int kind) {
        int p = start;
        while (p < end) {
            int k = NetworkOrder.u8(b, p);
            if (k == KIND_END) return -1;
            if (k == kind) return p;
            if (k == KIND_NOP) {
                p++;
                continue;
            }
            if (p + 2 > end) return -1;
            int len = NetworkOrder.u8(b, p + 1);
            if (len < 2) return -1;
            p += len;
        }
        return -1;
    }
}
