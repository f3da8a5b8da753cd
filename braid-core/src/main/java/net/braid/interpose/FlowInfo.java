package net.braid.interpose;

/** One live flow, for {@code braid show}: its key, state, and bytes each way. */
public record FlowInfo(FlowKey key, String state, long bytesFromApp, long bytesToApp, long retransmissions) {
}
