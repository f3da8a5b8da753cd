/**
 * Multipath control, sans I/O: every class is driven by events and an explicit {@code nowNanos},
 * so tests run on a fake clock. docs/multipath.md describes the design and the feedback wire
 * format byte by byte.
 *
 * <pre>
 * sender, per path                                   receiver, per path
 *   PathScheduler picks the path (ECF)                 FeedbackTracker.onPacket(seq)
 *   PathSender.onPacketSent(seq) → SentPacketLedger    FeedbackTracker.writeFeedback → FeedbackBlock
 *                                                      FeedbackCodec.encode → control message (type 5)
 *   FeedbackCodec.decode ← control message  ◀───────────┘
 *   PathSender.onFeedback → RttEstimator, CongestionController (NewReno | BBR-like)
 *   PathLiveness: UP → SUSPECT → DOWN → PROBING → UP, keepalives and probes
 * </pre>
 * {@link net.braid.multipath.PathControl} bundles one path's pieces for the engine.
 */
package net.braid.multipath;
