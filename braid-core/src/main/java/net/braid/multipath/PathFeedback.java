package net.braid.multipath;

import java.util.List;

/**
 * One path's feedback block as an immutable value (the codec's cold-path view; the hot path uses
 * the reusable {@link FeedbackBlock}).
 *
 * @param pathId     the path the fed-back sequences were sent on (0..65535)
 * @param largest    the largest path sequence received
 * @param holdMicros how long the receiver held the largest before sending this, in µs
 * @param acked      received ranges, highest first; the first contains {@code largest}
 * @param nacked     ranges declared lost, highest first, disjoint from {@code acked}
 */
public record PathFeedback(int pathId, int largest, long holdMicros, List<SeqRange> acked, List<SeqRange> nacked) {
    public PathFeedback {
        acked = List.copyOf(acked);
        nacked = List.copyOf(nacked);
    }
}
