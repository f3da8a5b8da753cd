package net.braid.masque.h3;

import io.netty.buffer.ByteBuf;

/**
 * The Quarter Stream ID that prefixes every HTTP/3 datagram (RFC 9297 §2.1): the client-initiated
 * bidirectional stream ID divided by four, as a QUIC variable-length integer (RFC 9000 §16). Only
 * what routing needs lives here; the payload after it belongs to net.braid.masque.codec.
 */
final class QuarterStreamId {
    /** Largest legal value: stream IDs stop at 2^62 - 1 (RFC 9297 §2.1). */
    static final long MAX = (1L << 60) - 1;
    /** Returned by {@link #read} for a malformed prefix. */
    static final long MALFORMED = -1;

    private QuarterStreamId() {}

    static long of(long streamId) {
        return streamId >>> 2;
    }

    static int length(long quarterStreamId) {
        if (quarterStreamId < 0 || quarterStreamId > MAX) throw new IllegalArgumentException("quarter stream ID " + quarterStreamId);
        if (quarterStreamId < (1 << 6)) return 1;
        if (quarterStreamId < (1 << 14)) return 2;
        if (quarterStreamId < (1L << 30)) return 4;
        return 8;
    }

    /** Writes the varint: the top two bits of the first byte give its length (RFC 9000 §16). */
    static void write(ByteBuf dst, long quarterStreamId) {
        switch (length(quarterStreamId)) {
            case 1 -> dst.writeByte((int) quarterStreamId);
            case 2 -> dst.writeShort((int) (0x4000 | quarterStreamId));
            case 4 -> dst.writeInt((int) (0x8000_0000L | quarterStreamId));
            default -> dst.writeLong(0xC000_0000_0000_0000L | quarterStreamId);
        }
    }

    /** Reads the prefix and advances past it, or returns {@link #MALFORMED} (RFC 9297 §2.1 says: close with H3_DATAGRAM_ERROR). */
    static long read(ByteBuf src) {
        if (!src.isReadable()) return MALFORMED;
        int first = src.getUnsignedByte(src.readerIndex());
        int length = 1 << (first >>> 6);
        if (src.readableBytes() < length) return MALFORMED;
        long value = switch (length) {
            case 1 -> src.readUnsignedByte();
            case 2 -> src.readUnsignedShort() & 0x3FFF;
            case 4 -> src.readUnsignedInt() & 0x3FFF_FFFFL;
            default -> src.readLong() & 0x3FFF_FFFF_FFFF_FFFFL;
        };
        return value > MAX ? MALFORMED : value;
    }
}
