package net.braid.multipath;

/**
 * Why a control-message plaintext was refused; {@link #NONE} means it is well formed. Returned,
 * never thrown, so a receiver counts bad feedback by reason without allocating.
 */
public enum FeedbackError {
    NONE,
    /** The buffer ends inside a varint or a fixed field. */
    TRUNCATED,
    /** A frame's length runs past the end of the plaintext. */
    FRAME_PAST_END,
    /** A feedback frame's fields end before or after its declared length. */
    FRAME_LENGTH_MISMATCH,
    /** More feedback blocks than {@link FeedbackMessage#MAX_BLOCKS}. */
    TOO_MANY_BLOCKS,
    /** Path id above 65535. */
    BAD_PATH_ID,
    /** Hold delay above {@link FeedbackCodec#MAX_HOLD_MICROS}. */
    BAD_HOLD_DELAY,
    /** More ACK or NACK ranges than {@link FeedbackBlock#MAX_RANGES}. */
    TOO_MANY_RANGES,
    /** A range reaches more than {@link FeedbackCodec#MAX_SPAN} below the largest sequence. */
    SPAN_TOO_LARGE,
    /** A NACK range overlaps an ACK range. */
    NACK_OVERLAPS_ACK
}
