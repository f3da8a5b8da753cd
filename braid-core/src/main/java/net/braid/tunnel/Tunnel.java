package net.braid.tunnel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;
import net.braid.multipath.FeedbackBlock;
import net.braid.multipath.FeedbackCodec;
import net.braid.multipath.FeedbackError;
import net.braid.multipath.FeedbackMessage;
import net.braid.multipath.FeedbackPolicy;
import net.braid.multipath.FeedbackTracker;
import net.braid.multipath.CongestionControl;
import net.braid.multipath.LivenessPolicy;
import net.braid.multipath.PathControl;
import net.braid.multipath.PathLiveness;
import net.braid.multipath.PathScheduler;
import net.braid.multipath.PathSender;
import net.braid.multipath.PathStatus;
import net.braid.multipath.SchedulerDecision;
import net.braid.multipath.reorder.ReorderBufferSink;
import net.braid.crypto.CipherSuite;
import net.braid.crypto.Handshake;
import net.braid.crypto.KeyPair;
import net.braid.crypto.Tai64n;
import net.braid.device.PacketDevice;

/**
 * One portal's tunnel over one UDP socket: the packet device on one side, peers on the other.
 *
 * <pre>
 * braid-send:  device.read (batch) → AllowedIps.route → Session (or stage + handshake)
 *              → Sealer.seal (header as AAD, counter nonce) → transport.send (batch)
 * braid-recv:  transport.receive (batch) → by type: initiation → respond | response → new session
 *              | data → session by index → open → replay window → source check → device.write (batch)
 * braid-timer: every 100 ms and on demand: initiations and their retries, keepalives,
 *              dead-session detection, session expiry, staged packets once a session exists.
 * </pre>
 *
 * A multipath peer (several configured paths, or a peer that sends on path ids other than 0;
 * docs/multipath.md §3) takes a different road after the session lookup:
 *
 * <pre>
 * braid-send:  … → SendQueue (shared per peer, pooled, bounded) → wake braid-paths
 * braid-paths: per multipath peer, under its path lock: path timers (loss, liveness, probes),
 *              feedback owed → one control message on the fastest path, CoDel at the queue head,
 *              PathScheduler (ECF) assigns queued packets to paths with window and pacing room;
 *              then, outside the lock, seal and send per path (batch); reorder deadlines.
 * braid-recv-* one per socket (listen port + each initiated path): … open → replay window →
 *              path learning/roaming → PathControl.onReceived, feedback → PathSender.onFeedback
 *              → ReorderBuffer by session counter → device.write (serialized across threads)
 * </pre>
 *
 * A single-path peer keeps the first pipeline exactly: there is nothing to schedule, and a
 * congestion window under the inner flows' own would only cost feedback messages and speed.
 *
 * Each thread owns its buffers and its {@link Sealer}; sessions are shared through volatile
 * fields. Both data threads move packets in batches (one device read or UDP receive yields up
 * to 64), so a batch costs one system call on the UDP side with {@code recvmmsg}/{@code
 * sendmmsg}. Nothing on the data path allocates per packet.
 */
public final class Tunnel implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Tunnel.class.getName());
    private static final int MAX_DATAGRAM = 65535;
    private static final int BATCH = 64;
    /** Handshake messages processed per second at most, so a flood cannot starve the data path. */
    private static final int HANDSHAKES_PER_SECOND = 500;
    public static final int ALL_SUITES = CipherSuite.CHACHA20_POLY1305.bit() | CipherSuite.AES_256_GCM.bit();

    private final PacketDevice device;
    private final KeyPair keyPair;
    private final int requestedPort;
    private final List<Peer> peers;
    private final Map<ByteBuffer, Peer> peersByKey = new HashMap<>();
    private final AllowedIps allowedIps;
    private final IndexTable sessions = new IndexTable();
    private final Map<Integer, Peer> pendingByIndex = new ConcurrentHashMap<>();
    private final TunnelStats stats = new TunnelStats();
    private final LongSupplier nanoClock;
    private final int mtu;

    private final UdpTransport.Binder binder;
    private final int suites;
    private UdpTransport transport;
    private Thread sender;
    private Thread receiver;
    private final List<UdpTransport> pathTransports = new CopyOnWriteArrayList<>();
    private final List<Thread> pathReceivers = new CopyOnWriteArrayList<>();
    private volatile Thread pathsThread;
    private final Object deviceWriteLock = new Object();
    private final PathScheduler scheduler = new PathScheduler();
    private ScheduledExecutorService timer;
    private volatile boolean closed;

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    // Timer-thread state: its own sealer and buffer for keepalives and staged packets.
    private final Sealer timerSealer = new Sealer();
    private ByteBuffer[] timerOut;

    // Receive-thread handshake budget.
    private long handshakeWindowStart;
    private int handshakesInWindow;

    /** A tunnel on a portable JDK socket; see the other constructor for the Linux batch one. */
    public Tunnel(PacketDevice device, KeyPair keyPair, int listenPort, List<PeerSpec> peerSpecs) {
        this(device, keyPair, listenPort, peerSpecs, JdkUdpTransport.BINDER, ALL_SUITES, System::nanoTime);
    }

    /**
     * @param suites the data ciphers this portal accepts ({@link CipherSuite#bit()}s); the
     *     responder of each handshake picks the fastest both sides accept
     */
    public Tunnel(PacketDevice device, KeyPair keyPair, int listenPort, List<PeerSpec> peerSpecs,
                  UdpTransport.Binder binder, int suites) {
        this(device, keyPair, listenPort, peerSpecs, binder, suites, System::nanoTime);
    }

    Tunnel(PacketDevice device, KeyPair keyPair, int listenPort, List<PeerSpec> peerSpecs,
           UdpTransport.Binder binder, int suites, LongSupplier nanoClock) {
        if ((suites & CipherSuite.CHACHA20_POLY1305.bit()) == 0) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 must always be accepted: it is the suite every portal has");
        }
        this.suites = suites;
        this.device = device;
        this.binder = binder;
        this.keyPair = keyPair;
        this.requestedPort = listenPort;
        this.nanoClock = nanoClock;
        this.mtu = device.mtu();
        List<Peer> list = new ArrayList<>();
        for (PeerSpec spec : peerSpecs) {
            Peer p = new Peer(spec, resolve(spec.endpointHost(), spec.endpointPort()));
            list.add(p);
            peersByKey.put(ByteBuffer.wrap(p.publicKey), p);
        }
        this.peers = List.copyOf(list);
        this.allowedIps = new AllowedIps(peers);
    }

    /** Binds the UDP port and starts the pipeline threads. */
    public void start() throws IOException {
        transport = binder.bind(requestedPort);
        timerOut = buffers(1, mtu + DataHeader.OVERHEAD, transport.wantsDirectBuffers());
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("braid-timer").daemon().unstarted(r));
        timer.scheduleAtFixedRate(this::tickSafely, Timers.TICK_MILLIS, Timers.TICK_MILLIS, TimeUnit.MILLISECONDS);
        for (Peer p : peers) if (p.pathSpecs.size() > 1 || p.pathSpecs.stream().anyMatch(ps -> ps.bind() != null)) openPaths(p);
        UdpTransport main = transport;
        receiver = Thread.ofPlatform().name("braid-recv").daemon().start(() -> receiveLoop(main));
        pathsThread = Thread.ofPlatform().name("braid-paths").daemon().start(this::pathsLoop);
        sender = Thread.ofPlatform().name("braid-send").daemon().start(this::sendLoop);
        for (Peer p : peers) if (p.endpoint != null || hasInitiatedPath(p)) requestHandshake(p);
    }

    public int listenPort() {
        return transport.localPort();
    }

    public TunnelStats stats() { return stats; }

    public String publicKeyBase64() { return keyPair.publicKeyBase64(); }

    public List<PeerStatus> peerStatus() {
        List<PeerStatus> out = new ArrayList<>();
        for (Peer p : peers) {
            InetSocketAddress e = p.endpoint;
            long hs = p.lastHandshakeEpochMillis;
            out.add(new PeerStatus(p.publicKeyBase64(), e == null ? null : e.getAddress().getHostAddress() + ":" + e.getPort(),
                    p.allowedIps.stream().map(Object::toString).toList(),
                    hs == 0 ? null : Instant.ofEpochMilli(hs), p.rxBytes.get(), p.txBytes.get(), pathInfo(p), reorderInfo(p)));
        }
        return out;
    }

    // ---------------------------------------------------------------- braid-send

    private ByteBuffer[] buffers(int count, int size, boolean direct) {
        ByteBuffer[] b = new ByteBuffer[count];
        for (int i = 0; i < count; i++) b[i] = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        return b;
    }

    private void sendLoop() {
        ByteBuffer[] packets = buffers(BATCH, Math.max(mtu, 1500), true);
        ByteBuffer[] out = buffers(BATCH, mtu + DataHeader.OVERHEAD, transport.wantsDirectBuffers());
        Sealer sealer = new Sealer();
        try {
            while (!closed) {
                int n = device.read(packets);
                if (n < 0) break;
                long now = nanoClock.getAsLong();
                int pending = 0;
                InetSocketAddress to = null;
                boolean queued = false;
                for (int i = 0; i < n; i++) {
                    Session s = sessionFor(packets[i], now);
                    if (s == null) continue;
                    if (s.peer.multipath) {
                        if (!s.peer.queue.offer(packets[i], now)) stats.queueDropped.incrementAndGet();
                        queued = true;
                        continue;
                    }
                    InetSocketAddress dst = s.peer.endpoint;
                    if (dst == null) {
                        stats.queueDropped.incrementAndGet();
                        continue;
                    }
                    if (pending > 0 && dst != to && !dst.equals(to)) {
                        transport.send(out, pending, to);
                        pending = 0;
                    }
                    sealer.seal(s, packets[i], out[pending]);
                    sent(s.peer, out[pending].remaining(), now);
                    pending++;
                    to = dst;
                }
                if (pending > 0) transport.send(out, pending, to);
                if (queued) wakePaths();
            }
        } catch (IOException e) {
            if (!closed) LOG.log(Level.SEVERE, "tunnel stops sending: " + e.getMessage(), e);
        }
    }

    /** The session to send this packet on, or null when it was dropped or staged. */
    private Session sessionFor(ByteBuffer packet, long now) {
        if (packet.remaining() < 20) {
            stats.badInner.incrementAndGet();
            return null;
        }
        if (packet.remaining() > mtu) {
            stats.tooBig.incrementAndGet();
            return null;
        }
        Peer peer = allowedIps.route(packet);
        if (peer == null) {
            stats.noRoute.incrementAndGet();
            return null;
        }
        Session s = peer.current;
        if (s == null || !s.canSend(now)) {
            stage(peer, packet);
            return null;
        }
        if (s.wantsRekey(now)) requestHandshake(peer);
        if (peer.sentSinceReceiveNanos == 0) peer.sentSinceReceiveNanos = now;
        return s;
    }

    private static void sent(Peer peer, int bytes, long now) {
        peer.txBytes.addAndGet(bytes);
        peer.lastSentNanos = now;
        if (peer.receivedSinceSendNanos != 0) peer.receivedSinceSendNanos = 0;
    }

    void stage(Peer peer, ByteBuffer packet) {
        byte[] copy = new byte[packet.remaining()];
        packet.duplicate().get(copy);
        if (!peer.staged.offer(copy)) stats.queueDropped.incrementAndGet();
        requestHandshake(peer);
    }

    // ---------------------------------------------------------------- braid-recv

    /**
     * One receiving thread's buffers: what it decrypts into, and the packets it writes to the
     * device after each batch (its own buffers, or pooled ones the reorder buffer released).
     */
    private final class Delivery {
        final ByteBuffer[] plain;
        final ByteBuffer[] out = new ByteBuffer[ReorderStage.CAPACITY + 2 * BATCH];
        final Peer[] pooledFrom = new Peer[out.length];
        int count;
        final Sealer opener = new Sealer();
        final FeedbackMessage feedback = new FeedbackMessage();
        boolean wakePaths;
        Peer releasing;
        final ReorderBufferSink<ByteBuffer> sink = (counter, packet) -> {
            if (packet == ReorderStage.SKIP) return;
            if (count == out.length) {
                stats.queueDropped.incrementAndGet();
                releasing.reorder.give(packet);
                return;
            }
            pooledFrom[count] = releasing;
            out[count++] = packet;
        };

        Delivery(boolean direct) {
            plain = buffers(BATCH, MAX_DATAGRAM, direct);
        }

        /** Writes what was collected, then gives pooled buffers back. */
        void flush() {
            if (count == 0) return;
            try {
                synchronized (deviceWriteLock) {
                    device.write(out, count); // the device's writer is one thread at a time
                }
            } catch (IOException e) {
                if (!closed) LOG.log(Level.WARNING, "device write failed: " + e.getMessage(), e);
            }
            for (int i = 0; i < count; i++) {
                Peer p = pooledFrom[i];
                if (p != null) {
                    synchronized (p.pathLock) {
                        p.reorder.give(out[i]);
                    }
                    pooledFrom[i] = null;
                }
                out[i] = null;
            }
            count = 0;
        }
    }

    private void receiveLoop(UdpTransport via) {
        boolean direct = via.wantsDirectBuffers();
        ByteBuffer[] in = buffers(BATCH, MAX_DATAGRAM, direct);
        Delivery d = new Delivery(true);
        while (!closed) {
            int n;
            try {
                n = via.receive(in);
                if (n < 0) break;
            } catch (IOException e) {
                if (closed) break;
                LOG.log(Level.WARNING, "UDP receive failed: " + e.getMessage(), e);
                continue;
            }
            int writes = 0;
            for (int i = 0; i < n; i++) {
                try {
                    ByteBuffer plain = d.plain[writes];
                    if (dispatch(in[i], via.source(i), plain, d, via)) {
                        d.out[d.count++] = plain;
                        writes++;
                    }
                } catch (IOException | RuntimeException e) {
                    // A packet must never take the receiver down: count it and go on.
                    stats.junk.incrementAndGet();
                    LOG.log(Level.FINE, "packet handling failed", e);
                }
            }
            d.flush();
            if (d.wakePaths) {
                d.wakePaths = false;
                wakePaths();
            }
        }
    }

    /** Handles one datagram; true when {@code plain} now holds a packet for the device. */
    private boolean dispatch(ByteBuffer in, InetSocketAddress from, ByteBuffer plain, Delivery d, UdpTransport via) throws IOException {
        int length = in.remaining();
        if (length < 4 || from == null) {
            stats.junk.incrementAndGet();
            return false;
        }
        byte type = in.get(0);
        switch (type) {
            case Handshake.TYPE_INITIATION -> {
                if (length != Handshake.INITIATION_BYTES) stats.junk.incrementAndGet();
                else onInitiation(bytes(in), from, via);
                return false;
            }
            case Handshake.TYPE_RESPONSE -> {
                if (length != Handshake.RESPONSE_BYTES) stats.junk.incrementAndGet();
                else onResponse(bytes(in), from);
                return false;
            }
            case DataHeader.TYPE_DATA, DataHeader.TYPE_CONTROL -> {
                if (length < DataHeader.OVERHEAD || length > mtu + DataHeader.OVERHEAD) {
                    stats.junk.incrementAndGet();
                    return false;
                }
                return onData(in, from, plain, d, via);
            }
            default -> {
                stats.junk.incrementAndGet();
                return false;
            }
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(b.position(), a);
        return a;
    }

    private boolean handshakeBudget(long now) {
        if (now - handshakeWindowStart > 1_000_000_000L) {
            handshakeWindowStart = now;
            handshakesInWindow = 0;
        }
        return ++handshakesInWindow <= HANDSHAKES_PER_SECOND;
    }

    private void onInitiation(byte[] msg, InetSocketAddress from, UdpTransport via) {
        long now = nanoClock.getAsLong();
        if (!Handshake.macValid(msg, msg.length, keyPair.publicKey()) || !handshakeBudget(now)) {
            stats.handshakeRejected.incrementAndGet();
            return;
        }
        Handshake.ReceivedInitiation init = Handshake.consumeInitiation(keyPair, msg);
        Peer peer = init == null ? null : peersByKey.get(ByteBuffer.wrap(init.remoteStatic()));
        if (peer == null) {
            stats.handshakeRejected.incrementAndGet();
            return;
        }
        byte[] response;
        synchronized (peer) {
            if (peer.lastTimestamp != null && Tai64n.compare(init.timestamp(), peer.lastTimestamp) <= 0) {
                stats.handshakeReplayed.incrementAndGet();
                return;
            }
            peer.lastTimestamp = init.timestamp();
            CipherSuite suite = CipherSuite.choose(init.offeredSuites(), suites);
            if (suite == null) {
                stats.handshakeRejected.incrementAndGet();
                return;
            }
            int index = sessions.newIndex();
            Handshake.Response r = Handshake.respond(init, index, suite);
            Session s = new Session(peer, index, init.senderIndex(), r.keys(), now);
            sessions.put(s);
            if (peer.next != null) sessions.remove(peer.next.localIndex);
            peer.next = s;
            peer.endpoint = from;
            peer.endpointVia = via;
            peer.lastHandshakeEpochMillis = System.currentTimeMillis();
            response = r.message();
        }
        sendRaw(peer, response, from, via);
    }

    private void onResponse(byte[] msg, InetSocketAddress from) {
        long now = nanoClock.getAsLong();
        Peer peer = pendingByIndex.get(Handshake.responseReceiverIndex(msg));
        if (peer == null || !handshakeBudget(now)) {
            stats.handshakeRejected.incrementAndGet();
            return;
        }
        synchronized (peer) {
            Handshake.ReceivedResponse r = peer.pending == null ? null : Handshake.consumeResponse(peer.pending, keyPair, msg);
            if (r == null) {
                stats.handshakeRejected.incrementAndGet();
                return;
            }
            pendingByIndex.remove(r.receiverIndex());
            peer.pending = null;
            peer.handshakeStartedNanos = 0;
            Session s = new Session(peer, r.receiverIndex(), r.senderIndex(), r.keys(), now);
            sessions.put(s);
            promote(peer, s);
            if (!peer.multipath) peer.endpoint = from;
            peer.lastHandshakeEpochMillis = System.currentTimeMillis();
            peer.sentSinceReceiveNanos = 0;
        }
        // Staged packets go out now; with none, a keepalive confirms the keys to the responder.
        timer.execute(() -> flushStaged(peer, true));
        wakePaths();
    }

    /** Makes {@code s} the sending session, keeping the old one for packets still in flight. */
    private void promote(Peer peer, Session s) {
        Session old = peer.previous;
        if (old != null && old != s) sessions.remove(old.localIndex);
        peer.previous = peer.current;
        peer.current = s;
        if (peer.next == s) peer.next = null;
    }

    private boolean onData(ByteBuffer in, InetSocketAddress from, ByteBuffer plain, Delivery d, UdpTransport via) {
        long now = nanoClock.getAsLong();
        Session s = sessions.get(DataHeader.receiverIndex(in));
        if (s == null || !s.canReceive(now)) {
            stats.unknownSession.incrementAndGet();
            return false;
        }
        long counter = DataHeader.counter(in);
        if (!s.replay.wouldAccept(counter)) {
            stats.replayed.incrementAndGet();
            return false;
        }
        int length = in.remaining();
        boolean control = in.get(0) == DataHeader.TYPE_CONTROL;
        int pathId = DataHeader.pathId(in);
        int pathSeq = DataHeader.pathSequence(in);
        if (!d.opener.open(s, counter, in, plain)) {
            stats.authFailed.incrementAndGet();
            return false;
        }
        if (!s.replay.accept(counter)) {
            stats.replayed.incrementAndGet();
            return false;
        }
        Peer peer = s.peer;
        if (!s.confirmed) confirm(peer, s);
        if (from != peer.endpoint && !from.equals(peer.endpoint)) {
            peer.endpoint = from; // roaming: follow the authenticated source
            peer.endpointVia = via;
        }
        peer.rxBytes.addAndGet(length);
        if (peer.sentSinceReceiveNanos != 0) peer.sentSinceReceiveNanos = 0;
        if (pathId != 0 || peer.multipath) {
            return onPathMessage(peer, s, counter, pathId, pathSeq, control, length, from, via, plain, d, now);
        }
        if (control || !plain.hasRemaining()) return false; // feedback (multipath) or keepalive
        if (!innerPacketValid(plain) || !allowedIps.sourceAllowed(plain, peer)) {
            stats.badInner.incrementAndGet();
            return false;
        }
        if (peer.receivedSinceSendNanos == 0) peer.receivedSinceSendNanos = now;
        return true;
    }

    private void confirm(Peer peer, Session s) {
        synchronized (peer) {
            if (peer.next == s) {
                s.confirmed = true;
                promote(peer, s);
            }
        }
        if (peer.multipath) wakePaths();
        if (!peer.staged.isEmpty()) timer.execute(() -> flushStaged(peer, false));
    }

    /** Well-formed enough to hand to the kernel: a version it knows and a length that fits. */
    private static boolean innerPacketValid(ByteBuffer p) {
        int n = p.remaining();
        int version = (p.get(0) & 0xff) >>> 4;
        if (version == 4) {
            if (n < 20) return false;
            int total = p.getShort(2) & 0xffff;
            int ihl = (p.get(0) & 0x0f) * 4;
            if (ihl < 20 || total < ihl || total > n) return false;
            p.limit(total);
            return true;
        }
        if (version == 6) {
            if (n < 40) return false;
            int total = 40 + (p.getShort(4) & 0xffff);
            if (total > n) return false;
            p.limit(total);
            return true;
        }
        return false;
    }

    /** Sends a handshake message (rare: rate-limited, so a buffer per call is fine). */
    private void sendRaw(Peer peer, byte[] msg, InetSocketAddress to, UdpTransport via) {
        ByteBuffer b = via.wantsDirectBuffers() ? ByteBuffer.allocateDirect(msg.length) : ByteBuffer.allocate(msg.length);
        b.put(msg).flip();
        try {
            if (via.send(new ByteBuffer[] {b}, 1, to) == 1) peer.txBytes.addAndGet(msg.length);
            else stats.sendErrors.incrementAndGet();
        } catch (IOException e) {
            if (!closed) stats.sendErrors.incrementAndGet();
        }
    }

    // ---------------------------------------------------------------- braid-timer

    private void requestHandshake(Peer peer) {
        if (peer.handshakeRequested.compareAndSet(false, true) && timer != null && !closed) {
            try {
                timer.execute(() -> {
                    peer.handshakeRequested.set(false);
                    initiate(peer, nanoClock.getAsLong(), Initiate.REQUESTED);
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** Why an initiation is sent. */
    private enum Initiate {
        /** Data waits or a session ages: not needed if a usable session appeared meanwhile. */
        REQUESTED,
        /** The previous initiation went unanswered for REKEY_TIMEOUT. */
        RETRY,
        /** Our data goes unanswered: the peer may have lost the session (restart). */
        NO_REPLY
    }

    /** Sends an initiation unless one is in flight and younger than the retry timeout. */
    private void initiate(Peer peer, long now, Initiate why) {
        byte[] msg;
        InetSocketAddress to;
        UdpTransport via;
        boolean retry = why == Initiate.RETRY;
        synchronized (peer) {
            if (peer.pending != null && !retry && now - peer.lastInitiationNanos < Timers.REKEY_TIMEOUT) return;
            Session current = peer.current;
            if (why == Initiate.REQUESTED && peer.pending == null && current != null
                    && current.canSend(now) && !current.wantsRekey(now)) {
                // The handshake this request asked for completed while it waited in the queue;
                // another would replace the session the responder has not seen data on yet.
                return;
            }
            if (retry && peer.endpointHost != null) {
                InetSocketAddress again = resolve(peer.endpointHost, peer.endpointPort);
                if (again != null && peer.endpoint == null) peer.endpoint = again;
            }
            to = peer.endpoint;
            via = peer.endpointVia != null ? peer.endpointVia : transport;
            TunnelPath hp = peer.multipath ? handshakePath(peer, why != Initiate.REQUESTED) : null;
            if (hp != null) {
                to = hp.endpoint;
                via = hp.transport;
            }
            if (to == null) {
                int dropped = peer.staged.size();
                peer.staged.clear();
                stats.queueDropped.addAndGet(dropped);
                return;
            }
            if (peer.pending != null) pendingByIndex.remove(peer.pending.senderIndex());
            int index = sessions.newIndex();
            Handshake.Initiation init = Handshake.initiate(keyPair, peer.publicKey, index, Instant.now(), suites);
            peer.pending = init.state();
            pendingByIndex.put(index, peer);
            if (peer.handshakeStartedNanos == 0) peer.handshakeStartedNanos = now;
            peer.lastInitiationNanos = now;
            msg = init.message();
        }
        sendRaw(peer, msg, to, via);
    }

    private void tickSafely() {
        try {
            tick(nanoClock.getAsLong());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "timer tick failed", e);
        }
    }

    void tick(long now) {
        for (Peer peer : peers) {
            boolean retry = false;
            synchronized (peer) {
                if (peer.pending != null && now - peer.lastInitiationNanos >= Timers.REKEY_TIMEOUT) {
                    if (now - peer.handshakeStartedNanos >= Timers.REKEY_ATTEMPT_TIME) {
                        pendingByIndex.remove(peer.pending.senderIndex());
                        peer.pending = null;
                        peer.handshakeStartedNanos = 0;
                        int dropped = peer.staged.size();
                        peer.staged.clear();
                        stats.queueDropped.addAndGet(dropped);
                    } else {
                        retry = true;
                    }
                }
                expire(peer, now);
            }
            if (retry) initiate(peer, now, Initiate.RETRY);

            long sentSince = peer.sentSinceReceiveNanos;
            if (sentSince != 0 && now - sentSince >= Timers.NO_REPLY_TIMEOUT) {
                // We keep sending and hear nothing: the peer may have restarted and lost our session.
                peer.sentSinceReceiveNanos = 0;
                initiate(peer, now, Initiate.NO_REPLY);
            }
            Session s = peer.current;
            if (s != null && s.canSend(now) && !peer.multipath) { // multipath: braid-paths probes each path
                long recvSince = peer.receivedSinceSendNanos;
                boolean passive = recvSince != 0 && now - recvSince >= Timers.KEEPALIVE_TIMEOUT;
                boolean persistent = peer.persistentKeepaliveNanos > 0 && now - peer.lastSentNanos >= peer.persistentKeepaliveNanos;
                if (passive || persistent) sendKeepalive(s, now);
            }
            if (!peer.staged.isEmpty() && s != null && s.canSend(now)) flushStaged(peer, false);
        }
    }

    private void expire(Peer peer, long now) {
        for (Session s : new Session[] {peer.previous, peer.current, peer.next}) {
            if (s != null && !s.canReceive(now)) {
                sessions.remove(s.localIndex);
                if (peer.previous == s) peer.previous = null;
                if (peer.current == s) peer.current = null;
                if (peer.next == s) peer.next = null;
            }
        }
    }

    private void sendKeepalive(Session s, long now) {
        sendFromTimer(s, EMPTY, now);
    }

    /** Seals and sends one packet from the timer thread, with that thread's own buffers. */
    private void sendFromTimer(Session s, ByteBuffer packet, long now) {
        InetSocketAddress to = s.peer.endpoint;
        if (to == null) {
            stats.queueDropped.incrementAndGet();
            return;
        }
        timerSealer.seal(s, packet.duplicate(), timerOut[0]);
        sent(s.peer, timerOut[0].remaining(), now);
        try {
            transport.send(timerOut, 1, to);
        } catch (IOException e) {
            if (!closed) stats.sendErrors.incrementAndGet();
        }
    }

    /** Runs on the timer thread: sends what waited for a session. */
    private void flushStaged(Peer peer, boolean keepaliveIfEmpty) {
        long now = nanoClock.getAsLong();
        Session s = peer.current;
        if (s == null || !s.canSend(now)) return;
        if (peer.multipath) {
            byte[] q;
            while ((q = peer.staged.poll()) != null) {
                if (!peer.queue.offer(ByteBuffer.wrap(q), now)) stats.queueDropped.incrementAndGet();
            }
            wakePaths();
            return;
        }
        boolean sent = false;
        byte[] p;
        while ((p = peer.staged.poll()) != null) {
            sendFromTimer(s, ByteBuffer.wrap(p), now);
            sent = true;
        }
        if (!sent && keepaliveIfEmpty) sendKeepalive(s, now);
    }

    // ---------------------------------------------------------------- multipath

    /**
     * Feedback after 2 data messages (QUIC's rule) or a quarter RTT, at most 10 ms: the receiver
     * often has no RTT of its own. Acking every 8 was tried first: on a path whose minimum RTT is
     * below the ack delay, BBR's window (gain × bandwidth × min RTT) then never covers the ack
     * wait and the rate collapses to the 4-packet floor (MultipathTunnelTest over loopback).
     */
    static final FeedbackPolicy FEEDBACK = new FeedbackPolicy(2, 10_000_000L, 50_000_000L);
    private static final int MAX_PATHS = 16;
    private static final int QUEUE_PACKETS = 1024;
    /** Bytes a keepalive or probe puts on the wire (header + tag). */
    private static final int PROBE_BYTES = DataHeader.OVERHEAD;

    private PathControl newControl(int id, int metric, PathStatus initial, long now) {
        PathSender sender = PathSender.create(id, mtu + DataHeader.OVERHEAD, CongestionControl.DEFAULT);
        return new PathControl(id, metric, sender, new FeedbackTracker(id, FEEDBACK),
                new PathLiveness(LivenessPolicy.DEFAULT, sender.rtt(), initial, now));
    }

    /** Makes the peer multipath: its queue and reorder stage exist before anyone sees the flag. */
    private void enableMultipath(Peer peer) {
        synchronized (peer.pathLock) {
            if (peer.multipath) return;
            peer.queue = new SendQueue(QUEUE_PACKETS, Math.max(mtu, 1500));
            peer.reorder = new ReorderStage(Math.max(mtu, 1500));
            peer.multipath = true;
        }
    }

    private static boolean hasInitiatedPath(Peer p) {
        for (TunnelPath t : p.paths) if (t.initiated) return true;
        return false;
    }

    /**
     * Opens a socket per configured path that has an endpoint. Path ids are the same in both
     * directions; the portal whose public key sorts lower numbers its paths from 1, the other
     * from 0x8000, so paths both sides start never collide, and 0 stays the single-path id.
     */
    private void openPaths(Peer peer) throws IOException {
        enableMultipath(peer);
        boolean lower = java.util.Arrays.compareUnsigned(keyPair.publicKey(), peer.publicKey) < 0;
        int id = lower ? 1 : 0x8000;
        long now = nanoClock.getAsLong();
        for (PathSpec spec : peer.pathSpecs) {
            if (!spec.initiates()) continue;
            UdpTransport t = binder.bindPath(spec.bind());
            pathTransports.add(t);
            TunnelPath path = new TunnelPath(id, spec.metric(), true, spec.endpointHost(), spec.endpointPort(), t,
                    newControl(id, spec.metric(), PathStatus.DOWN, now), resolve(spec.endpointHost(), spec.endpointPort()));
            id++;
            addPath(peer, path);
            Thread r = Thread.ofPlatform().name("braid-recv-path-" + path.id).daemon().unstarted(() -> receiveLoop(t));
            pathReceivers.add(r);
            r.start();
        }
    }

    private static void addPath(Peer peer, TunnelPath path) {
        synchronized (peer.pathLock) {
            TunnelPath[] old = peer.paths;
            TunnelPath[] grown = java.util.Arrays.copyOf(old, old.length + 1);
            grown[old.length] = path;
            peer.controls.add(path.control);
            peer.paths = grown;
        }
    }

    /** A path the peer started: learnt from its first authenticated message, on the socket it came in on. */
    private TunnelPath learnPath(Peer peer, int id, InetSocketAddress from, UdpTransport via, long now) {
        enableMultipath(peer);
        synchronized (peer.pathLock) {
            TunnelPath p = peer.path(id);
            if (p != null) return p;
            if (peer.paths.length >= MAX_PATHS) return null;
            p = new TunnelPath(id, 0, false, null, 0, via, newControl(id, 0, PathStatus.UP, now), from);
            addPath(peer, p);
            LOG.info("peer " + peer.publicKeyBase64() + ": new path " + id + " from " + from);
            return p;
        }
    }

    /** The path for a handshake message: an up one, else the initiated ones in turn (one may be dead). */
    private static TunnelPath handshakePath(Peer peer, boolean rotate) {
        synchronized (peer.pathLock) {
            TunnelPath[] paths = peer.paths;
            if (!rotate) {
                for (TunnelPath p : paths) if (p.endpoint != null && p.control.status().carriesTraffic()) return p;
            }
            for (int i = 0; i < paths.length; i++) {
                TunnelPath p = paths[Math.floorMod(peer.handshakeRotor++, paths.length)];
                if (p.initiated && p.endpoint == null) p.endpoint = resolve(p.endpointHost, p.endpointPort);
                if (p.endpoint != null) return p;
            }
            return null;
        }
    }

    private void wakePaths() {
        Thread t = pathsThread;
        if (t != null) LockSupport.unpark(t);
    }

    /** A data or control message of a multipath peer, authenticated and past the replay window. */
    private boolean onPathMessage(Peer peer, Session s, long counter, int pathId, int pathSeq, boolean control, int length,
                                  InetSocketAddress from, UdpTransport via, ByteBuffer plain, Delivery d, long now) {
        TunnelPath path = peer.path(pathId);
        if (path == null) path = learnPath(peer, pathId, from, via, now);
        if (path != null) {
            if (!path.initiated && !from.equals(path.endpoint)) path.endpoint = from; // roaming, per path
            path.rxBytes.addAndGet(length);
        }
        boolean data = !control && plain.hasRemaining();
        if (data && (!innerPacketValid(plain) || !allowedIps.sourceAllowed(plain, peer))) {
            stats.badInner.incrementAndGet();
            data = false;
        }
        if (control && FeedbackCodec.decode(plain.duplicate(), d.feedback) != FeedbackError.NONE) {
            stats.junk.incrementAndGet();
            d.feedback.clear();
        }
        if (data && peer.receivedSinceSendNanos == 0) peer.receivedSinceSendNanos = now;
        synchronized (peer.pathLock) {
            if (path != null) path.control.onReceived(pathSeq, control, now);
            if (control) {
                for (int i = 0; i < d.feedback.blockCount(); i++) {
                    FeedbackBlock b = d.feedback.block(i);
                    TunnelPath p = peer.path(b.pathId());
                    if (p != null) p.control.onFeedback(b, now);
                }
                d.feedback.clear();
            }
            ReorderStage r = peer.reorder;
            if (r.session != s) {
                if (r.session != null && r.session.createdNanos - s.createdNanos > 0) {
                    // A straggler of an older session: not ordered against the new counters.
                    return data;
                }
                d.releasing = peer;
                r.buffer.reset(counter, d.sink);
                r.session = s;
            }
            ByteBuffer copy = ReorderStage.SKIP;
            if (data) {
                copy = r.take();
                if (copy == null) {
                    stats.queueDropped.incrementAndGet();
                    copy = ReorderStage.SKIP;
                } else {
                    copy.clear();
                    copy.put(plain).flip();
                }
            }
            d.releasing = peer;
            if (r.accept(counter, copy, now, d.sink) && path != null) path.latePackets++;
        }
        d.wakePaths = true;
        return false;
    }

    /** Per-path state for `braid show`; empty for a single-path peer. */
    private List<PathInfo> pathInfo(Peer peer) {
        if (!peer.multipath) return List.of();
        List<PathInfo> out = new ArrayList<>();
        synchronized (peer.pathLock) {
            for (TunnelPath p : peer.paths) {
                PathControl c = p.control;
                InetSocketAddress e = p.endpoint;
                out.add(new PathInfo(p.id, e == null ? null : e.getAddress().getHostAddress() + ":" + e.getPort(), p.metric,
                        c.status().name(), c.smoothedRttNanos() / 1000, c.minRttNanos() / 1000, c.congestionWindow(),
                        c.bytesInFlight(), c.sender().controller().pacingRate(), c.deliveryRate(),
                        c.sender().packetsLost(), p.latePackets, p.rxBytes.get(), p.txBytes.get()));
            }
        }
        return out;
    }

    /** The reorder stage's counters for `braid show`; null for a single-path peer. */
    private static ReorderInfo reorderInfo(Peer peer) {
        if (!peer.multipath) return null;
        synchronized (peer.pathLock) {
            ReorderStage r = peer.reorder;
            var rb = r.buffer;
            return new ReorderInfo(r.timeout.nanos() / 1000, rb.heldPackets(), rb.waited(), rb.timedOut(), rb.capped(),
                    r.lateReleased());
        }
    }

    /** What braid-paths decided under a peer's lock, to seal and send outside it. */
    private final class PathWork {
        final TunnelPath[] probePath = new TunnelPath[MAX_PATHS];
        final int[] probeSeq = new int[MAX_PATHS];
        int probes;
        TunnelPath feedbackPath;
        int feedbackSeq;
        final FeedbackMessage feedback = new FeedbackMessage();
        final ByteBuffer feedbackPlain = ByteBuffer.allocateDirect(Math.max(mtu, 1500));
        final TunnelPath[] dataPath = new TunnelPath[BATCH];
        final int[] dataSeq = new int[BATCH];
        int decided;
        long waitUntil;
        final ByteBuffer[] out;
        final ByteBuffer[] group = new ByteBuffer[BATCH];
        final ByteBuffer one;
        final ByteBuffer[] single = new ByteBuffer[1];
        final SchedulerDecision decision = new SchedulerDecision();
        final Sealer sealer = new Sealer();
        final Delivery delivery = new Delivery(true);

        PathWork(boolean direct) {
            out = buffers(BATCH, mtu + DataHeader.OVERHEAD, direct);
            one = buffers(1, mtu + DataHeader.OVERHEAD, direct)[0];
            single[0] = one;
        }
    }

    private void pathsLoop() {
        PathWork w = new PathWork(transport.wantsDirectBuffers());
        while (!closed) {
            long now = nanoClock.getAsLong();
            long wake = now + 50_000_000L;
            for (Peer p : peers) {
                if (!p.multipath) continue;
                try {
                    wake = Math.min(wake, servePaths(p, now, w));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "path service failed", e);
                }
            }
            long sleep = wake - nanoClock.getAsLong();
            if (sleep > 0) LockSupport.parkNanos(sleep);
        }
    }

    /** One round for one multipath peer; returns when it wants the next. */
    private long servePaths(Peer peer, long now, PathWork w) {
        Session s = peer.current;
        boolean canSend = s != null && s.canSend(now);
        SendQueue q = peer.queue;
        long wake = Long.MAX_VALUE;
        w.probes = 0;
        w.feedbackPath = null;
        w.decided = 0;
        w.waitUntil = Long.MAX_VALUE;
        synchronized (peer.pathLock) {
            TunnelPath[] paths = peer.paths;
            long minRtt = Long.MAX_VALUE;
            long maxRtt = 0;
            for (TunnelPath p : paths) {
                PathControl c = p.control;
                PathStatus before = c.status();
                PathStatus after = c.onTimer(now);
                if (before != after) LOG.log(after == PathStatus.SUSPECT || before == PathStatus.SUSPECT ? Level.FINE : Level.INFO, "peer " + peer.publicKeyBase64() + " path " + p.id + ": " + before + " -> " + after);
                if (canSend && p.endpoint != null && c.liveness().probeDue(now)) {
                    // A probe on an idle path is no measure of its bandwidth.
                    if (q.isEmpty()) c.sender().onAppLimited();
                    int seq = p.nextSequence++;
                    c.onDataSent(seq, PROBE_BYTES, now);
                    c.liveness().onProbeSent(now);
                    w.probePath[w.probes] = p;
                    w.probeSeq[w.probes++] = seq;
                }
                if (after.carriesTraffic()) {
                    long rtt = PathScheduler.expectedRtt(c); // not SRTT: an idle path's SRTT can be stale by 100 ms
                    minRtt = Math.min(minRtt, rtt);
                    maxRtt = Math.max(maxRtt, rtt);
                }
            }
            // The reorder wait: half the spread of the paths' RTTs (an estimate of the one-way spread) plus a margin.
            ReorderStage r = peer.reorder;
            if (maxRtt > 0) r.timeout.pathSpreadNanos((maxRtt - minRtt) / 2 + 1_000_000L, now);
            if (canSend) collectFeedback(peer, paths, now, w);
            if (canSend) schedule(peer, paths, q, now, w);
            for (TunnelPath p : paths) wake = Math.min(wake, p.control.nextTimerAt());
            if (w.decided == BATCH) wake = now;
            wake = Math.min(wake, w.waitUntil);
            w.delivery.releasing = peer;
            r.buffer.poll(now, w.delivery.sink);
            wake = Math.min(wake, r.buffer.nextDeadline());
        }
        w.delivery.flush();
        if (canSend) transmit(peer, s, q, now, w);
        if (TRACE && now - peer.traceAt > 250_000_000L) trace(peer, now);
        return wake;
    }

    private static final boolean TRACE = System.getenv("BRAID_PATH_TRACE") != null;

    private void trace(Peer peer, long now) {
        peer.traceAt = now;
        StringBuilder b = new StringBuilder("TRACE t=").append(now / 1_000_000).append(" q=").append(peer.queue.size())
                .append(" aqm=").append(stats.aqmDropped.get()).append(" qfull=").append(stats.queueDropped.get());
        synchronized (peer.pathLock) {
            var rb = peer.reorder.buffer;
            b.append(" reorder[held=").append(rb.heldPackets()).append(" waited=").append(rb.waited())
                    .append(" timedOut=").append(rb.timedOut()).append(" capped=").append(rb.capped())
                    .append(" late=").append(rb.droppedLate()).append(" to=").append(peer.reorder.timeout.nanos() / 1000).append(']');
            for (TunnelPath p : peer.paths) {
                PathControl c = p.control;
                var cc = c.sender().controller();
                b.append(" | p").append(p.id).append(' ').append(c.status()).append(" srtt=").append(c.smoothedRttNanos() / 1000)
                        .append(" min=").append(c.sender().rtt().min() / 1000).append(" cwnd=").append(c.congestionWindow())
                        .append(" infl=").append(c.bytesInFlight()).append(" bw=").append(c.deliveryRate() * 8 / 1000)
                        .append("k pace=").append(cc.pacingRate() * 8 / 1000).append("k ")
                        .append(cc instanceof net.braid.multipath.BbrLikeController bb ? bb.mode() : "")
                        .append(" lost=").append(c.sender().packetsLost()).append(" tx=").append(p.txBytes.get());
            }
        }
        System.err.println(b);
    }

    /** Feedback for every path that owes some, in one control message on the fastest path. */
    private void collectFeedback(Peer peer, TunnelPath[] paths, long now, PathWork w) {
        boolean due = false;
        for (TunnelPath p : paths) due |= p.control.tracker().feedbackDue(now);
        if (!due) return;
        w.feedback.clear();
        for (TunnelPath p : paths) {
            FeedbackTracker t = p.control.tracker();
            if (t.nextFeedbackAt() == Long.MAX_VALUE) continue;
            FeedbackBlock b = w.feedback.addBlock();
            if (b == null) break;
            t.writeFeedback(now, b);
            if (FeedbackCodec.encodedLength(w.feedback) > mtu) break; // the next round carries the rest
        }
        // Feedback goes on the fastest path that carries traffic: it reaches the sender soonest
        // and still arrives when the path it describes has just died.
        TunnelPath best = null;
        for (TunnelPath p : paths) {
            if (p.endpoint == null || !p.control.status().carriesTraffic()) continue;
            if (best == null || p.control.smoothedRttNanos() < best.control.smoothedRttNanos()) best = p;
        }
        if (best == null) {
            for (TunnelPath p : paths) if (p.endpoint != null) { best = p; break; }
        }
        if (best == null) return;
        w.feedbackPlain.clear();
        FeedbackCodec.encode(w.feedback, w.feedbackPlain);
        w.feedbackPlain.flip();
        if (w.feedbackPlain.remaining() > mtu) return;
        w.feedbackPath = best;
        w.feedbackSeq = best.nextSequence++;
    }

    /** Assigns queued packets to paths (ECF), after CoDel had its say about the head. */
    private void schedule(Peer peer, TunnelPath[] paths, SendQueue q, long now, PathWork w) {
        while (!q.isEmpty() && peer.codel.shouldDrop(now - q.headEnqueuedAt(), now)) {
            q.remove();
            stats.aqmDropped.incrementAndGet();
        }
        int size = q.size();
        long queuedBytes = q.bytes();
        while (w.decided < BATCH && w.decided < size) {
            int bytes = q.lengthAt(w.decided) + DataHeader.OVERHEAD;
            SchedulerDecision d = scheduler.pick(peer.controls, bytes, queuedBytes, now, w.decision);
            if (d.kind() == SchedulerDecision.Kind.WAIT) w.waitUntil = d.waitUntil();
            if (d.kind() != SchedulerDecision.Kind.SEND) break;
            TunnelPath p = paths[d.pathIndex()];
            if (p.endpoint == null) break;
            int seq = p.nextSequence++;
            p.control.onDataSent(seq, bytes, now);
            w.dataPath[w.decided] = p;
            w.dataSeq[w.decided++] = seq;
            queuedBytes -= bytes - DataHeader.OVERHEAD;
        }
        if (w.decided == size) {
            for (TunnelPath p : paths) {
                if (p.control.sender().hasWindowFor(mtu + DataHeader.OVERHEAD)) p.control.sender().onAppLimited();
            }
        }
    }

    /** Seals and sends what servePaths decided: probes, feedback, then data in one batch per path. */
    private void transmit(Peer peer, Session s, SendQueue q, long now, PathWork w) {
        for (int i = 0; i < w.probes; i++) {
            TunnelPath p = w.probePath[i];
            w.sealer.seal(s, DataHeader.TYPE_DATA, p.id, w.probeSeq[i], EMPTY, w.one);
            sendOnPath(peer, p, w.single, 1, now);
            w.probePath[i] = null;
        }
        if (w.feedbackPath != null) {
            w.sealer.seal(s, DataHeader.TYPE_CONTROL, w.feedbackPath.id, w.feedbackSeq, w.feedbackPlain, w.one);
            sendOnPath(peer, w.feedbackPath, w.single, 1, now);
            w.feedbackPath = null;
        }
        int n = w.decided;
        if (n == 0) return;
        for (int i = 0; i < n; i++) {
            w.sealer.seal(s, DataHeader.TYPE_DATA, w.dataPath[i].id, w.dataSeq[i], q.peekAt(i), w.out[i]);
        }
        q.remove(n);
        if (peer.sentSinceReceiveNanos == 0) peer.sentSinceReceiveNanos = now;
        for (int i = 0; i < n; i++) {
            TunnelPath p = w.dataPath[i];
            if (p == null) continue;
            int g = 0;
            for (int j = i; j < n; j++) {
                if (w.dataPath[j] == p) {
                    w.group[g++] = w.out[j];
                    w.dataPath[j] = null;
                }
            }
            sendOnPath(peer, p, w.group, g, now);
        }
    }

    private void sendOnPath(Peer peer, TunnelPath p, ByteBuffer[] batch, int count, long now) {
        InetSocketAddress to = p.endpoint;
        if (to == null) return;
        int bytes = 0;
        for (int i = 0; i < count; i++) bytes += batch[i].remaining();
        try {
            p.transport.send(batch, count, to);
        } catch (IOException e) {
            if (!closed) stats.sendErrors.incrementAndGet();
        }
        p.txBytes.addAndGet(bytes);
        sent(peer, bytes, now);
    }

    private static InetSocketAddress resolve(String host, int port) {
        if (host == null) return null;
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            LOG.warning("cannot resolve endpoint " + host + ": " + e.getMessage());
            return null;
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        device.close();
        if (timer != null) timer.shutdownNow();
        if (transport != null) transport.close();
        for (UdpTransport t : pathTransports) t.close();
        Thread paths = pathsThread;
        if (paths != null) LockSupport.unpark(paths);
        List<Thread> threads = new ArrayList<>(pathReceivers);
        threads.add(sender);
        threads.add(receiver);
        threads.add(paths);
        for (Thread t : threads) {
            if (t == null) continue;
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
