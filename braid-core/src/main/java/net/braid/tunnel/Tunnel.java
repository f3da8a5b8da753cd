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
import java.util.logging.Logger;
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
        this(device, keyPair, listenPort, peerSpecs, JdkUdpTransport::bind, ALL_SUITES, System::nanoTime);
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
        receiver = Thread.ofPlatform().name("braid-recv").daemon().start(this::receiveLoop);
        sender = Thread.ofPlatform().name("braid-send").daemon().start(this::sendLoop);
        for (Peer p : peers) if (p.endpoint != null) requestHandshake(p);
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
                    hs == 0 ? null : Instant.ofEpochMilli(hs), p.rxBytes.get(), p.txBytes.get()));
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
                for (int i = 0; i < n; i++) {
                    Session s = sessionFor(packets[i], now);
                    if (s == null) continue;
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

    private void stage(Peer peer, ByteBuffer packet) {
        byte[] copy = new byte[packet.remaining()];
        packet.duplicate().get(copy);
        if (!peer.staged.offer(copy)) stats.queueDropped.incrementAndGet();
        requestHandshake(peer);
    }

    // ---------------------------------------------------------------- braid-recv

    private void receiveLoop() {
        boolean direct = transport.wantsDirectBuffers();
        ByteBuffer[] in = buffers(BATCH, MAX_DATAGRAM, direct);
        ByteBuffer[] plain = buffers(BATCH, MAX_DATAGRAM, true);
        Sealer opener = new Sealer();
        while (!closed) {
            int n;
            try {
                n = transport.receive(in);
                if (n < 0) break;
            } catch (IOException e) {
                if (closed) break;
                LOG.log(Level.WARNING, "UDP receive failed: " + e.getMessage(), e);
                continue;
            }
            int writes = 0;
            for (int i = 0; i < n; i++) {
                try {
                    if (dispatch(in[i], transport.source(i), plain[writes], opener)) writes++;
                } catch (IOException | RuntimeException e) {
                    // A packet must never take the receiver down: count it and go on.
                    stats.junk.incrementAndGet();
                    LOG.log(Level.FINE, "packet handling failed", e);
                }
            }
            if (writes > 0) {
                try {
                    device.write(plain, writes);
                } catch (IOException e) {
                    if (!closed) LOG.log(Level.WARNING, "device write failed: " + e.getMessage(), e);
                }
            }
        }
    }

    /** Handles one datagram; true when {@code plain} now holds a packet for the device. */
    private boolean dispatch(ByteBuffer in, InetSocketAddress from, ByteBuffer plain, Sealer opener) throws IOException {
        int length = in.remaining();
        if (length < 4 || from == null) {
            stats.junk.incrementAndGet();
            return false;
        }
        byte type = in.get(0);
        switch (type) {
            case Handshake.TYPE_INITIATION -> {
                if (length != Handshake.INITIATION_BYTES) stats.junk.incrementAndGet();
                else onInitiation(bytes(in), from);
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
                return onData(in, from, plain, opener);
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

    private void onInitiation(byte[] msg, InetSocketAddress from) {
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
            peer.lastHandshakeEpochMillis = System.currentTimeMillis();
            response = r.message();
        }
        sendRaw(peer, response, from);
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
            peer.endpoint = from;
            peer.lastHandshakeEpochMillis = System.currentTimeMillis();
            peer.sentSinceReceiveNanos = 0;
        }
        // Staged packets go out now; with none, a keepalive confirms the keys to the responder.
        timer.execute(() -> flushStaged(peer, true));
    }

    /** Makes {@code s} the sending session, keeping the old one for packets still in flight. */
    private void promote(Peer peer, Session s) {
        Session old = peer.previous;
        if (old != null && old != s) sessions.remove(old.localIndex);
        peer.previous = peer.current;
        peer.current = s;
        if (peer.next == s) peer.next = null;
    }

    private boolean onData(ByteBuffer in, InetSocketAddress from, ByteBuffer plain, Sealer opener) {
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
        if (!opener.open(s, counter, in, plain)) {
            stats.authFailed.incrementAndGet();
            return false;
        }
        if (!s.replay.accept(counter)) {
            stats.replayed.incrementAndGet();
            return false;
        }
        Peer peer = s.peer;
        if (!s.confirmed) confirm(peer, s);
        if (from != peer.endpoint && !from.equals(peer.endpoint)) peer.endpoint = from; // roaming: follow the authenticated source
        peer.rxBytes.addAndGet(length);
        if (peer.sentSinceReceiveNanos != 0) peer.sentSinceReceiveNanos = 0;
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
    private void sendRaw(Peer peer, byte[] msg, InetSocketAddress to) {
        ByteBuffer b = transport.wantsDirectBuffers() ? ByteBuffer.allocateDirect(msg.length) : ByteBuffer.allocate(msg.length);
        b.put(msg).flip();
        try {
            if (transport.send(new ByteBuffer[] {b}, 1, to) == 1) peer.txBytes.addAndGet(msg.length);
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
        sendRaw(peer, msg, to);
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
            if (s != null && s.canSend(now)) {
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
        boolean sent = false;
        byte[] p;
        while ((p = peer.staged.poll()) != null) {
            sendFromTimer(s, ByteBuffer.wrap(p), now);
            sent = true;
        }
        if (!sent && keepaliveIfEmpty) sendKeepalive(s, now);
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
        for (Thread t : new Thread[] {sender, receiver}) {
            if (t == null) continue;
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
