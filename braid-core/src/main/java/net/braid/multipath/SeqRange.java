package net.braid.multipath;

/**
 * An inclusive range of 32-bit path sequences, {@code first} to {@code last} in serial order
 * (RFC 1982): it may wrap past 2^32 − 1, so {@code last - first} (as int) is its length − 1.
 */
public record SeqRange(int first, int last) {
    public SeqRange {
        if (last - first < 0) throw new IllegalArgumentException("range ends before it starts: " + first + ".." + last);
    }

    public static SeqRange of(int seq) {
        return new SeqRange(seq, seq);
    }

    /** Number of sequences in the range. */
    public long length() {
        return (long) (last - first) + 1;
    }
}
