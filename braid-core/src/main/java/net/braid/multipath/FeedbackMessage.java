package net.braid.multipath;

/**
 * The decoded plaintext of one control message (type 5): up to {@link #MAX_BLOCKS} feedback
 * blocks, one per path. Reused from message to message so decoding allocates nothing.
 */
public final class FeedbackMessage {
    public static final int MAX_BLOCKS = 16;

    private final FeedbackBlock[] blocks = new FeedbackBlock[MAX_BLOCKS];
    private int count;

    public FeedbackMessage() {
        for (int i = 0; i < MAX_BLOCKS; i++) blocks[i] = new FeedbackBlock();
    }

    public void clear() { count = 0; }

    public int blockCount() { return count; }

    public FeedbackBlock block(int i) {
        if (i < 0 || i >= count) throw new IndexOutOfBoundsException(i);
        return blocks[i];
    }

    /** The next unused block, to be filled by the caller; null when the message is full. */
    public FeedbackBlock addBlock() {
        return count == MAX_BLOCKS ? null : blocks[count++];
    }
}
