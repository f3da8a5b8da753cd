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
    /** The socket the endpoint was heard on; null: the listen port's. */
    volatile UdpTransport endpointVia;
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

    // ---- multipath (docs/multipath.md §3); single-path peers leave all of it unused.
    final List<PathSpec> pathSpecs;
    /** Runs the multipath engine: configured so, or the peer sent on a path id other than 0. */
    volatile boolean multipath;
    /** Guards every path's PathControl and sequence, the path list and the reorder buffer. */
    final Object pathLock = new Object();
    /** Copy-on-write under pathLock; index i matches {@link #controls} index i. */
    volatile TunnelPath[] paths = new TunnelPath[0];
    final java.util.ArrayList<net.braid.multipath.PathControl> controls = new java.util.ArrayList<>();
    /** Created before {@link #multipath} is set. */
    volatile SendQueue queue;
    final CoDel codel = new CoDel();
    volatile ReorderStage reorder;
    int handshakeRotor;
    /** Last path trace line (BRAID_PATH_TRACE), braid-paths only. */
    long traceAt;

    Peer(PeerSpec spec, InetSocketAddress resolvedEndpoint) {
        this.pathSpecs = spec.paths();
        this.publicKey = spec.publicKey();
        this.allowedIps = spec.allowedIps();
        this.endpointHost = spec.endpointHost();
        this.endpointPort = spec.endpointPort();
        this.persistentKeepaliveNanos = spec.persistentKeepaliveSeconds() * 1_000_000_000L;
        this.endpoint = resolvedEndpoint;
    }

    TunnelPath path(int id) {
        for (TunnelPath p : paths) if (p.id == id) return p;
        return null;
    }

    String publicKeyBase64() {
        return java.util.Base64.getEncoder().encodeToString(publicKey);
    }
}
