package net.braid.tunnel;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import net.braid.config.IpPrefix;
import net.braid.crypto.Handshake;

/**
 * The remote portal as one side sees it: identity, where it is now, and up to three sessions —
 * {@code current} for sending, {@code previous} still accepted while packets from before a rekey
 * drain, {@code next} answered but not yet confirmed by the initiator. Session changes happen
 * under the peer's lock; the data path only reads the volatile fields.
 */
final class Peer {
    static final int STAGED_PACKETS = 256;

    final byte[] publicKey;
    final List<IpPrefix> allowedIps;
    final String endpointHost;
    final int endpointPort;
    final long persistentKeepaliveNanos;

    volatile InetSocketAddress endpoint;
    volatile Session current;
    volatile Session previous;
    volatile Session next;

    // Handshake in flight (we are the initiator); guarded by this.
    Handshake.InitiatorState pending;
    long handshakeStartedNanos;
    long lastInitiationNanos;
    byte[] lastTimestamp;
    final AtomicBoolean handshakeRequested = new AtomicBoolean();

    /** Packets waiting for a session; bounded, drops and counts when full. */
    final ArrayBlockingQueue<byte[]> staged = new ArrayBlockingQueue<>(STAGED_PACKETS);

    final AtomicLong rxBytes = new AtomicLong();
    final AtomicLong txBytes = new AtomicLong();
    volatile long lastHandshakeEpochMillis;
    volatile long lastSentNanos;
    /** When data first arrived since we last sent anything (0: none): drives passive keepalives. */
    volatile long receivedSinceSendNanos;
    /** When data was first sent since we last heard anything (0: none): detects a dead session. */
    volatile long sentSinceReceiveNanos;

    Peer(PeerSpec spec, InetSocketAddress resolvedEndpoint) {
        this.publicKey = spec.publicKey();
        this.allowedIps = spec.allowedIps();
        this.endpointHost = spec.endpointHost();
        this.endpointPort = spec.endpointPort();
        this.persistentKeepaliveNanos = spec.persistentKeepaliveSeconds() * 1_000_000_000L;
        this.endpoint = resolvedEndpoint;
    }

    String publicKeyBase64() {
        return java.util.Base64.getEncoder().encodeToString(publicKey);
    }
}
