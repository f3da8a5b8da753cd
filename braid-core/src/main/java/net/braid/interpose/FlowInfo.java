package net.braid.interpose;

/**
 * One live flow, for {@code braid show}: its key, the app-side state, bytes each way, and the
 * state of its upstream ({@code dialing}, {@code open} with {@code paused}, {@code sent-end},
 * {@code got-end} as they apply, {@code refused}, {@code reset}, {@code failed}).
 */
public record FlowInfo(FlowKey key, String state, long bytesFromApp, long bytesToApp, long retransmissions, String upstream) {
}
