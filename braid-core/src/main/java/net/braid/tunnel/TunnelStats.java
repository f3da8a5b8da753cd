package net.braid.tunnel;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Why packets were dropped, for `braid show`. Each counter is written from one pipeline thread;
 * AtomicLong keeps the reads from the control socket exact.
 */
public final class TunnelStats {
    /** UDP datagrams that are no braid message: unknown type or impossible size. */
    public final AtomicLong junk = new AtomicLong();
    /** Handshake messages that failed the MAC or the Noise authentication, or arrived too fast. */
    public final AtomicLong handshakeRejected = new AtomicLong();
    /** Initiations carrying a timestamp no newer than the last accepted one from that peer. */
    public final AtomicLong handshakeReplayed = new AtomicLong();
    /** Data for a session index we do not have (expired, or the peer restarted). */
    public final AtomicLong unknownSession = new AtomicLong();
    /** Data whose AEAD tag did not verify. */
    public final AtomicLong authFailed = new AtomicLong();
    /** Data whose counter was seen before or fell behind the replay window. */
    public final AtomicLong replayed = new AtomicLong();
    /** Decrypted packets that are not well-formed IP or whose source is not in the peer's AllowedIPs. */
    public final AtomicLong badInner = new AtomicLong();
    /** Packets from the device with no peer for their destination. */
    public final AtomicLong noRoute = new AtomicLong();
    /** Packets dropped because a bounded queue was full or no session could be made in time. */
    public final AtomicLong queueDropped = new AtomicLong();
    /** Packets the shared queue of a multipath peer dropped from its head (CoDel) to bound latency. */
    public final AtomicLong aqmDropped = new AtomicLong();
    /** Packets larger than the tunnel MTU. */
    public final AtomicLong tooBig = new AtomicLong();
    /** Socket send errors (for example no route to the endpoint). */
    public final AtomicLong sendErrors = new AtomicLong();
}
