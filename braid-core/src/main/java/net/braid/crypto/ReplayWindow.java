package net.braid.crypto;

/**
 * Anti-replay window after RFC 6479: a ring of 64-bit blocks, so sliding the window forward
 * clears whole words instead of shifting a bit string. Accepts each counter at most once and
 * rejects counters older than the window. Shared by all paths of a session, it also drops the
 * second copy of a packet sent redundantly on two paths.
 *
 * <p>Call {@link #accept} only after the packet authenticated, or an attacker could advance the
 * window with forged counters. {@link #accept} is synchronized: with several paths, several
 * receive threads decide for one session, and two copies of one counter must not both pass.
 * {@link #wouldAccept} is an unsynchronized hint for dropping early, before decryption.
 */
public final class ReplayWindow {
    private static final int BLOCK_BITS = 64;
    private static final int BLOCKS = 128; // power of two; window = (BLOCKS - 1) * 64 = 8128
    public static final int WINDOW = (BLOCKS - 1) * BLOCK_BITS;

    private final long[] bitmap = new long[BLOCKS];
    private long highest = -1;

    /** True if the counter is new and inside the window; it is then recorded. */
    public synchronized boolean accept(long counter) {
        if (counter < 0) return false;
        long block = counter >>> 6;
        if (counter > highest) {
            long currentBlock = highest < 0 ? -1 : highest >>> 6;
            long diff = Math.min(block - currentBlock, BLOCKS);
            for (long i = 1; i <= diff; i++) bitmap[(int) ((currentBlock + i) & (BLOCKS - 1))] = 0;
            highest = counter;
        } else if (highest - counter >= WINDOW) {
            return false;
        }
        int index = (int) (block & (BLOCKS - 1));
        long bit = 1L << (counter & (BLOCK_BITS - 1));
        if ((bitmap[index] & bit) != 0) return false;
        bitmap[index] |= bit;
        return true;
    }

    /** True if {@link #accept} would accept the counter, without recording it. */
    public boolean wouldAccept(long counter) {
        if (counter < 0) return false;
        if (counter > highest) return true;
        if (highest - counter >= WINDOW) return false;
        int index = (int) ((counter >>> 6) & (BLOCKS - 1));
        return (bitmap[index] & (1L << (counter & 63))) == 0;
    }
}
