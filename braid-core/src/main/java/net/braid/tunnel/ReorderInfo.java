package net.braid.tunnel;

/**
 * A multipath peer's reorder stage as `braid show` prints it (one per peer: the order is the
 * tunnel counter's, across all paths).
 *
 * @param timeoutMicros the current wait for a missing counter
 * @param heldPackets   packets waiting for a gap now
 * @param waited        gaps that filled while the stage waited
 * @param timedOut      gaps given up on at the timeout
 * @param capped        gaps given up on because the stage was full
 * @param late          data messages that came after their gap was given up on (released out of order)
 */
public record ReorderInfo(long timeoutMicros, int heldPackets, long waited, long timedOut, long capped, long late) {}
