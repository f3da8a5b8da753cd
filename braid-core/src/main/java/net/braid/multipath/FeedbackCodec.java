package net.braid.multipath;

import java.nio.ByteBuffer;

/**
 * The plaintext of a control message (type 5, docs/protocol.md §4): a sequence of frames, each
 * {@code type (varint) | length (varint) | body}; unknown frame types are skipped, so later
 * versions can add frames. Frame type 1 is a path feedback block (docs/multipath.md §3):
 *
 * <pre>
 * path id          varint, 0..65535
 * largest          32 bits, big-endian: the largest path sequence received
 * hold delay       varint, µs the receiver held the largest before sending this
 * ack range count  varint, ranges after the first (RFC 9000 §19.3 "ACK Range Count")
 * first ack range  varint, sequences below largest in the first range
 * ack ranges       (gap varint, length varint) × count, RFC 9000 §19.3.1
 * nack range count varint
 * nack ranges      (gap varint, length varint) × count; the first gap counts from largest − 1
 * </pre>
 *
 * Varints are RFC 9000 §16. Decoding never throws on bad input: it returns a {@link FeedbackError}.
 * Encoding and decoding allocate nothing.
 */
public final class FeedbackCodec {
    public static final int FRAME_PATH_FEEDBACK = 1;
    /** A range may reach at most this far below the largest: beyond it serial order is ambiguous. */
    public static final long MAX_SPAN = (1L << 31) - 1;
    /** About 18 minutes; a longer hold means the feedback is useless for RTT anyway. */
    public static final long MAX_HOLD_MICROS = (1L << 30) - 1;

    private FeedbackCodec() {}

    /** Bytes {@link #encode(FeedbackBlock, ByteBuffer)} writes for this block, frame header included. */
    public static int encodedLength(FeedbackBlock b) {
        int body = bodyLength(b);
        return Varint.size(FRAME_PATH_FEEDBACK) + Varint.size(body) + body;
    }

    /** Bytes the whole message takes. */
    public static int encodedLength(FeedbackMessage m) {
        int n = 0;
        for (int i = 0; i < m.blockCount(); i++) n += encodedLength(m.block(i));
        return n;
    }

    public static void encode(FeedbackMessage m, ByteBuffer out) {
        for (int i = 0; i < m.blockCount(); i++) encode(m.block(i), out);
    }

    /**
     * Writes one feedback frame. Throws IllegalStateException if the block breaks the rules the
     * decoder checks (no first range, ranges not descending and apart, span too large), and
     * BufferOverflowException when {@code out} is too small.
     */
    public static void encode(FeedbackBlock b, ByteBuffer out) {
        int body = bodyLength(b);
        Varint.write(out, FRAME_PATH_FEEDBACK);
        Varint.write(out, body);
        Varint.write(out, b.pathId());
        out.putInt(b.largest());
        Varint.write(out, b.holdMicros());
        Varint.write(out, b.ackCount() - 1);
        Varint.write(out, firstAckRange(b));
        for (int i = 1; i < b.ackCount(); i++) {
            Varint.write(out, gap(b.ackFirst(i - 1), b.ackLast(i), 2));
            Varint.write(out, length(b.ackFirst(i), b.ackLast(i)));
        }
        Varint.write(out, b.nackCount());
        for (int i = 0; i < b.nackCount(); i++) {
            Varint.write(out, i == 0 ? gap(b.largest(), b.nackLast(0), 1) : gap(b.nackFirst(i - 1), b.nackLast(i), 2));
            Varint.write(out, length(b.nackFirst(i), b.nackLast(i)));
        }
    }

    private static int bodyLength(FeedbackBlock b) {
        if (b.ackCount() == 0) throw new IllegalStateException("a feedback block needs the range holding the largest");
        int n = Varint.size(b.pathId()) + 4 + Varint.size(b.holdMicros()) + Varint.size(b.ackCount() - 1)
                + Varint.size(firstAckRange(b));
        long span = firstAckRange(b);
        for (int i = 1; i < b.ackCount(); i++) {
            n += Varint.size(gap(b.ackFirst(i - 1), b.ackLast(i), 2)) + Varint.size(length(b.ackFirst(i), b.ackLast(i)));
            span = Math.max(span, distance(b.largest(), b.ackFirst(i)));
        }
        n += Varint.size(b.nackCount());
        for (int i = 0; i < b.nackCount(); i++) {
            n += Varint.size(i == 0 ? gap(b.largest(), b.nackLast(0), 1) : gap(b.nackFirst(i - 1), b.nackLast(i), 2))
                    + Varint.size(length(b.nackFirst(i), b.nackLast(i)));
            span = Math.max(span, distance(b.largest(), b.nackFirst(i)));
        }
        if (span > MAX_SPAN) throw new IllegalStateException("feedback reaches " + span + " below the largest");
        return n;
    }

    private static long firstAckRange(FeedbackBlock b) {
        if (b.ackLast(0) != b.largest()) throw new IllegalStateException("the first ACK range must end at the largest");
        return length(b.ackFirst(0), b.ackLast(0));
    }

    /** Sequences strictly between {@code above} and {@code top}, less {@code minus − 1}; must be ≥ 0. */
    private static long gap(int above, int top, int minus) {
        long g = (long) (above - top) - minus;
        if (above - top < minus) throw new IllegalStateException("ranges out of order or touching: " + top + " below " + above);
        return g;
    }

    private static long length(int first, int last) {
        int d = last - first;
        if (d < 0) throw new IllegalStateException("range " + first + ".." + last);
        return d;
    }

    private static long distance(int largest, int seq) {
        return (largest - seq) & 0xffff_ffffL;
    }

    /**
     * Decodes all of {@code in}'s remaining bytes into {@code into} (cleared first). On success
     * the buffer is consumed; on error its position is unspecified and {@code into} holds the
     * blocks read so far, which the caller must not use.
     */
    public static FeedbackError decode(ByteBuffer in, FeedbackMessage into) {
        into.clear();
        while (in.hasRemaining()) {
            long type = Varint.read(in);
            long len = Varint.read(in);
            if (type < 0 || len < 0) return FeedbackError.TRUNCATED;
            if (len > in.remaining()) return FeedbackError.FRAME_PAST_END;
            int end = in.position() + (int) len;
            if (type != FRAME_PATH_FEEDBACK) {
                in.position(end);
                continue;
            }
            FeedbackBlock b = into.addBlock();
            if (b == null) return FeedbackError.TOO_MANY_BLOCKS;
            int limit = in.limit();
            in.limit(end);
            FeedbackError e = decodeBlock(in, b);
            boolean consumed = !in.hasRemaining();
            in.limit(limit);
            if (e != FeedbackError.NONE) return e == FeedbackError.TRUNCATED ? FeedbackError.FRAME_LENGTH_MISMATCH : e;
            if (!consumed) return FeedbackError.FRAME_LENGTH_MISMATCH;
        }
        return FeedbackError.NONE;
    }

    private static FeedbackError decodeBlock(ByteBuffer in, FeedbackBlock b) {
        long pathId = Varint.read(in);
        if (pathId < 0 || in.remaining() < 4) return FeedbackError.TRUNCATED;
        if (pathId > 0xffff) return FeedbackError.BAD_PATH_ID;
        int largest = in.getInt();
        long hold = Varint.read(in);
        if (hold < 0) return FeedbackError.TRUNCATED;
        if (hold > MAX_HOLD_MICROS) return FeedbackError.BAD_HOLD_DELAY;
        b.reset((int) pathId, largest, hold);

        long count = Varint.read(in);
        long first = Varint.read(in);
        if (count < 0 || first < 0) return FeedbackError.TRUNCATED;
        if (count >= FeedbackBlock.MAX_RANGES) return FeedbackError.TOO_MANY_RANGES;
        if (first > MAX_SPAN) return FeedbackError.SPAN_TOO_LARGE;
        b.addAck(largest - (int) first, largest);
        long low = first; // distance below largest of the lowest sequence so far
        for (int i = 0; i < count; i++) {
            long gap = Varint.read(in);
            long len = Varint.read(in);
            if (gap < 0 || len < 0) return FeedbackError.TRUNCATED;
            long high = low + gap + 2;
            if (high > MAX_SPAN || len > MAX_SPAN - high) return FeedbackError.SPAN_TOO_LARGE;
            low = high + len;
            b.addAck(largest - (int) low, largest - (int) high);
        }

        long nacks = Varint.read(in);
        if (nacks < 0) return FeedbackError.TRUNCATED;
        if (nacks > FeedbackBlock.MAX_RANGES) return FeedbackError.TOO_MANY_RANGES;
        low = 0;
        for (int i = 0; i < nacks; i++) {
            long gap = Varint.read(in);
            long len = Varint.read(in);
            if (gap < 0 || len < 0) return FeedbackError.TRUNCATED;
            long high = low + gap + (i == 0 ? 1 : 2);
            if (high > MAX_SPAN || len > MAX_SPAN - high) return FeedbackError.SPAN_TOO_LARGE;
            low = high + len;
            b.addNack(largest - (int) low, largest - (int) high);
        }
        return overlaps(b) ? FeedbackError.NACK_OVERLAPS_ACK : FeedbackError.NONE;
    }

    /** Both lists descend, so one merge walk finds any overlap. */
    private static boolean overlaps(FeedbackBlock b) {
        int i = 0;
        int j = 0;
        int largest = b.largest();
        while (i < b.ackCount() && j < b.nackCount()) {
            long aHigh = distance(largest, b.ackLast(i));
            long aLow = distance(largest, b.ackFirst(i));
            long nHigh = distance(largest, b.nackLast(j));
            long nLow = distance(largest, b.nackFirst(j));
            if (aHigh <= nLow && nHigh <= aLow) return true;
            if (aLow < nLow) i++;
            else j++;
        }
        return false;
    }
}
