package net.braid.masque.h3;

/**
 * A snapshot of one connection's datagram accounting; every datagram braid did not deliver is
 * counted under the reason it was dropped.
 *
 * @param sent             handed to quiche
 * @param refusedFull      refused with {@link SendOutcome#QUEUE_FULL}
 * @param refusedOther     refused as {@link SendOutcome#NOT_NEGOTIATED} or {@link SendOutcome#CLOSED}
 * @param tooLarge         refused as {@link SendOutcome#TOO_LARGE}, or rejected by quiche for size after acceptance
 * @param received         routed to a stream's listener
 * @param droppedNoStream  received for a quarter stream ID with no open stream (RFC 9297 §2.1 allows dropping)
 * @param droppedMalformed received without a valid quarter stream ID prefix
 */
public record DatagramCounters(long sent, long refusedFull, long refusedOther, long tooLarge,
                               long received, long droppedNoStream, long droppedMalformed) {}
