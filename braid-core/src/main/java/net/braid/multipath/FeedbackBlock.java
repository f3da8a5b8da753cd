package net.braid.multipath;

import java.util.ArrayList;
import java.util.List;

/**
 * One path's feedback, reusable so that writing and reading feedback allocates nothing: the
 * tracker fills one, the codec writes it; the codec fills one from the wire, the sender reads it.
 * Ranges are kept highest first; ACK range 0 contains {@link #largest()}.
 */
public final class FeedbackBlock {
    /** Per list (ACK and NACK): bounds a block to about 1 kB on the wire. */
    public static final int MAX_RANGES = 32;

    private int pathId;
    private int largest;
    private long holdMicros;
    private int ackCount;
    private int nackCount;
    private final int[] ackFirst = new int[MAX_RANGES];
    private final int[] ackLast = new int[MAX_RANGES];
    private final int[] nackFirst = new int[MAX_RANGES];
    private final int[] nackLast = new int[MAX_RANGES];

    /** Starts a new block; ranges are added next, highest first. */
    public FeedbackBlock reset(int pathId, int largest, long holdMicros) {
        if (pathId < 0 || pathId > 0xffff) throw new IllegalArgumentException("path id " + pathId);
        if (holdMicros < 0) throw new IllegalArgumentException("hold " + holdMicros);
        this.pathId = pathId;
        this.largest = largest;
        this.holdMicros = Math.min(holdMicros, FeedbackCodec.MAX_HOLD_MICROS);
        ackCount = 0;
        nackCount = 0;
        return this;
    }

    /** Adds a received range below the previous one; false when the block is full. */
    public boolean addAck(int first, int last) {
        if (ackCount == MAX_RANGES) return false;
        ackFirst[ackCount] = first;
        ackLast[ackCount++] = last;
        return true;
    }

    /** Adds a lost range below the previous NACK range; false when the block is full. */
    public boolean addNack(int first, int last) {
        if (nackCount == MAX_RANGES) return false;
        nackFirst[nackCount] = first;
        nackLast[nackCount++] = last;
        return true;
    }

    public int pathId() { return pathId; }
    public int largest() { return largest; }
    public long holdMicros() { return holdMicros; }
    public int ackCount() { return ackCount; }
    public int ackFirst(int i) { return ackFirst[check(i, ackCount)]; }
    public int ackLast(int i) { return ackLast[check(i, ackCount)]; }
    public int nackCount() { return nackCount; }
    public int nackFirst(int i) { return nackFirst[check(i, nackCount)]; }
    public int nackLast(int i) { return nackLast[check(i, nackCount)]; }

    private static int check(int i, int count) {
        if (i < 0 || i >= count) throw new IndexOutOfBoundsException(i);
        return i;
    }

    /** An immutable copy (allocates: tests, logs and cold paths). */
    public PathFeedback toRecord() {
        List<SeqRange> a = new ArrayList<>(ackCount);
        for (int i = 0; i < ackCount; i++) a.add(new SeqRange(ackFirst[i], ackLast[i]));
        List<SeqRange> n = new ArrayList<>(nackCount);
        for (int i = 0; i < nackCount; i++) n.add(new SeqRange(nackFirst[i], nackLast[i]));
        return new PathFeedback(pathId, largest, holdMicros, a, n);
    }

    /** Fills this block from a record; throws IllegalArgumentException if it has too many ranges. */
    public FeedbackBlock set(PathFeedback f) {
        reset(f.pathId(), f.largest(), f.holdMicros());
        for (SeqRange r : f.acked()) if (!addAck(r.first(), r.last())) throw new IllegalArgumentException("too many ACK ranges");
        for (SeqRange r : f.nacked()) if (!addNack(r.first(), r.last())) throw new IllegalArgumentException("too many NACK ranges");
        return this;
    }

    @Override
    public String toString() {
        return toRecord().toString();
    }
}
