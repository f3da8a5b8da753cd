package net.braid.cli.vpn;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import net.braid.cli.ipegress.DeviceReader;
import net.braid.cli.ipegress.PacketHandoff;
import net.braid.config.IpPrefix;
import net.braid.linux.Offload;
import net.braid.linux.Tun;
import net.braid.linux.host.HostChanges;
import net.braid.masque.h2.H2Client;
import net.braid.masque.h3.H3Client;
import net.braid.masque.h3.MasqueConnection;
import net.braid.masque.h3.H3Connection;
import net.braid.masque.h3.H3Options;
import net.braid.masque.ip.ConnectIpClient;
import net.braid.masque.ip.IpSession;
import net.braid.masque.udp.ProxyRefusedException;

/**
 * A running {@code braid vpn}: a TUN whose packets travel in a CONNECT-IP session (RFC 9484)
 * through an HTTP/3 proxy, with the session's addresses and routes on the host.
 *
 * <pre>
 * TUN ─ DeviceReader thread ─▶ IpSession.send (route-checked) ─▶ QUIC DATAGRAM / capsule ─▶ proxy
 * proxy ─▶ IpSession receiver (event loop) ─▶ PacketHandoff (bounded) ─ writer thread ─▶ TUN
 * </pre>
 *
 * When the connection drops, the TUN and its routes stay (packets meanwhile are dropped, not sent
 * around the tunnel) and a new connection is tried with backoff; the host changes are redone only
 * if the proxy assigns other addresses or routes. A refusal the user must fix (4xx, a certificate
 * not trusted) ends {@link #run} with {@link Unrecoverable}.
 */
public final class VpnTunnel implements AutoCloseable {
    private static final Duration STEP = Duration.ofSeconds(15);
    private static final Duration KEEPALIVE = Duration.ofSeconds(5);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** How long {@code Transport = auto} waits for QUIC before it tries HTTP/2. */
    private static final Duration H3_FIRST = Duration.ofSeconds(4);
    /** RFC 9297 §5.4: a reserved capsule type (0x29 * 0 + 0x17) the proxy ignores (§3.2), sent to keep QUIC from idling out. */
    private static final byte[] GREASE_CAPSULE = {0x17, 0x00};

    /** A failure retrying will not fix: the proxy's refusal (4xx, an untrusted certificate), or the host refusing the routes. */
    public static final class Unrecoverable extends Exception {
        Unrecoverable(String message) {
            super(message);
        }
    }

    private final VpnSettings settings;
    private final String name;
    private final Path journal;
    private final PrintWriter out;
    private final Tun tun;
    private final H3Client h3;
    private final H2Client h2;
    private final PacketHandoff toTun;
    private final DeviceReader fromTun;
    private final LongAdder droppedWhileDown = new LongAdder();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Semaphore changed = new Semaphore(0);
    private volatile IpSession session;
    private volatile MasqueConnection connection;
    private volatile String carriedBy = "HTTP/3";
    private HostChanges host; // guarded by this
    private VpnRouting applied; // guarded by this
    private boolean closed; // guarded by this
    private int reconnects;

    private VpnTunnel(VpnSettings settings, String name, Path journal, PrintWriter out, Tun tun) {
        this.settings = settings;
        this.name = name;
        this.journal = journal;
        this.out = out;
        this.tun = tun;
        this.h3 = H3Client.create(settings.trust(), new H3Options(1452, 1024, 1024, STEP, 16L << 20, 1L << 20, 256),
                settings.clientIdentity());
        this.h2 = H2Client.create(settings.trust(), settings.clientIdentity());
        this.toTun = new PacketHandoff(tun, 1024, tun.mtu(), "vpn-to-tun-" + tun.name());
        this.fromTun = DeviceReader.start(tun, this::fromTun, "vpn-from-tun-" + tun.name());
    }

    /** Opens the TUN (after undoing what an earlier run left in {@code journal}, one line each into {@code notes}). */
    public static VpnTunnel open(VpnSettings settings, String name, Path journal, PrintWriter out, List<String> notes) throws IOException {
        for (String line : HostChanges.recover(journal)) notes.add("left by an earlier run, " + line);
        Tun tun = Tun.open(settings.tun(), settings.mtu(), Offload.TCP);
        try {
            return new VpnTunnel(settings, name, journal, out, tun);
        } catch (RuntimeException e) {
            tun.close();
            throw e;
        }
    }

    private void fromTun(ByteBuffer packet) {
        IpSession s = session;
        if (s == null) droppedWhileDown.increment();
        else s.send(packet);
    }

    /**
     * Connects, and reconnects after every drop, until {@link #close}.
     *
     * @throws Unrecoverable when the proxy refuses for a reason retrying cannot fix
     */
    public void run() throws Unrecoverable, InterruptedException {
        long backoff = 1;
        while (stop.getCount() > 0) {
            String lost;
            try {
                boolean wasUp = session();
                if (wasUp) backoff = 1;
                lost = "connection to the proxy lost";
                String why = lastEndReason;
                if (why != null) lost += " (" + why + ")";
            } catch (Unrecoverable r) {
                if (stop.getCount() == 0) return;
                throw r;
            } catch (IOException | TimeoutException | RuntimeException e) {
                lost = "cannot reach the proxy: " + e.getMessage();
            }
            if (stop.getCount() == 0) return;
            out.println("braid: vpn " + name + ": " + lost + "; retrying in " + backoff + " s");
            out.flush();
            if (stop.await(backoff, TimeUnit.SECONDS)) return;
            backoff = Math.min(backoff * 2, MAX_BACKOFF.toSeconds());
        }
    }

    private volatile String lastEndReason;

    /** One connection and session, from dialling to its end; true if it came up. */
    private boolean session() throws IOException, TimeoutException, InterruptedException, Unrecoverable {
        lastEndReason = null;
        InetSocketAddress proxy = settings.proxy().resolve();
        MasqueConnection c = connect(proxy);
        connection = c;
        try {
            await(c.peerSettings(), "the proxy's SETTINGS");
            IpSession s = await(new ConnectIpClient(c, settings.authority(), settings.token())
                    .open(settings.scope(), List.of(), toTun::offer), "the answer to CONNECT-IP");
            try {
                s.onChange((addresses, routes) -> changed.release());
                long deadline = System.nanoTime() + STEP.toNanos();
                while (s.addresses().isEmpty() || s.routes().isEmpty()) {
                    if (s.closeFuture().isDone()) throw new IOException("the proxy ended the session before assigning an address: " + s.endReason());
                    long left = deadline - System.nanoTime();
                    if (left <= 0) throw new TimeoutException("no ADDRESS_ASSIGN and ROUTE_ADVERTISEMENT within " + STEP.toSeconds() + " s");
                    changed.tryAcquire(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
                }
                boolean fresh;
                try {
                    fresh = apply(s, proxy.getAddress());
                } catch (IOException e) {
                    throw new Unrecoverable("cannot put the session's addresses and routes on the host: " + e.getMessage());
                }
                if (!fresh) return false; // closing
                session = s;
                announce(s, proxy);
                while (!s.closeFuture().isDone() && c.isOpen() && stop.getCount() > 0) {
                    if (changed.tryAcquire(KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS)) {
                        changed.drainPermits();
                        try {
                            if (!apply(s, proxy.getAddress())) break;
                        } catch (IOException e) {
                            throw new Unrecoverable("cannot put the session's new addresses and routes on the host: " + e.getMessage());
                        }
                    } else if (s.stream().isOpen()) {
                        s.stream().write(Unpooled.wrappedBuffer(GREASE_CAPSULE));
                    }
                }
                lastEndReason = s.endReason() != null ? s.endReason() : c.isOpen() ? null : "the QUIC connection closed";
                return true;
            } finally {
                session = null;
                s.close();
            }
        } finally {
            connection = null;
            c.close();
        }
    }

    /**
     * Dials the proxy over the configured transport. With {@code auto}, a QUIC handshake that fails
     * or does not finish within {@link #H3_FIRST} (UDP blocked on the way) falls back to HTTP/2 over
     * TLS/TCP to the same host and port (RFC 8441), and says so.
     */
    private MasqueConnection connect(InetSocketAddress proxy) throws IOException, TimeoutException, InterruptedException, Unrecoverable {
        switch (settings.transport()) {
            case H3 -> {
                carriedBy = "HTTP/3";
                return await(h3.connect(proxy, settings.serverName()), "the QUIC/TLS handshake");
            }
            case H2 -> {
                carriedBy = "HTTP/2";
                return await(h2.connect(proxy, settings.serverName()), "the TCP/TLS handshake");
            }
            default -> {
                var quic = h3.connect(proxy, settings.serverName());
                try {
                    MasqueConnection c = quic.get(H3_FIRST.toMillis(), TimeUnit.MILLISECONDS);
                    carriedBy = "HTTP/3";
                    return c;
                } catch (ExecutionException | TimeoutException e) {
                    quic.cancel(true);
                    quic.thenAccept(H3Connection::close);
                    Throwable why = e instanceof ExecutionException ? e.getCause() : e;
                    out.println("braid: vpn " + name + ": HTTP/3 to " + proxy + " failed (" + (why.getMessage() == null
                            ? "no answer within " + H3_FIRST.toSeconds() + " s" : why.getMessage()) + "); trying HTTP/2 over TCP");
                    out.flush();
                    carriedBy = "HTTP/2";
                    return await(h2.connect(proxy, settings.serverName()), "the TCP/TLS handshake");
                }
            }
        }
    }

    /** Puts the session's addresses and routes on the host unless they are there already; false once closing. */
    private synchronized boolean apply(IpSession s, InetAddress proxy) throws IOException {
        if (closed) return false;
        List<IpPrefix> addresses = s.addresses().stream().map(a -> IpPrefix.of(a.address(), a.prefixLength())).toList();
        List<IpPrefix> routes = RoutePrefixes.of(s.routes());
        VpnRouting next = VpnRouting.of(tun.name(), addresses, routes, proxy, settings.table(), this::batchFile);
        if (next.equals(applied)) return true;
        if (host != null) {
            host.close();
            host = null;
            applied = null;
        }
        Files.createDirectories(journal.toAbsolutePath().getParent());
        for (Map.Entry<Integer, String> b : next.batches().entrySet()) Files.writeString(batchFile(b.getKey()), b.getValue());
        try {
            host = HostChanges.apply(next.plan(), journal);
        } finally {
            for (int v : next.batches().keySet()) Files.deleteIfExists(batchFile(v));
        }
        applied = next;
        return true;
    }

    private Path batchFile(int version) {
        return journal.resolveSibling(journal.getFileName() + ".routes" + version);
    }

    private void announce(IpSession s, InetSocketAddress proxy) {
        String addresses = s.addresses().stream().map(a -> IpPrefix.of(a.address(), a.prefixLength()).toString())
                .collect(Collectors.joining(", "));
        int routes = RoutePrefixes.of(s.routes()).size();
        String how = reconnects++ == 0 ? "up" : "reconnected";
        out.println("braid: vpn " + name + " " + how + ": " + tun.name() + " " + addresses + ", " + routes
                + " routes through " + proxy.getAddress().getHostAddress() + ":" + proxy.getPort() + " over " + carriedBy
                + (s.usesQuicDatagrams() || !carriedBy.equals("HTTP/3") ? "" : " (DATAGRAM capsules: the proxy offers no QUIC datagrams)"));
        out.flush();
    }

    private <T> T await(java.util.concurrent.CompletableFuture<T> future, String what)
            throws IOException, TimeoutException, InterruptedException, Unrecoverable {
        try {
            return future.get(STEP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new TimeoutException("no " + what + " within " + STEP.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
            if (cause instanceof ProxyRefusedException r && r.status() >= 400 && r.status() < 500) {
                throw new Unrecoverable(r.getMessage());
            }
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            if (message.contains("certificate refused")) throw new Unrecoverable(message);
            throw new IOException(message, cause);
        }
    }

    /** Counters for the last line: TUN packets both ways and drops while no session ran. */
    public String summary() {
        return "tun packets read " + tun.packetsRead() + ", written " + tun.packetsWritten() + "; dropped while down "
                + droppedWhileDown.sum() + ", to TUN queue full " + toTun.droppedFull();
    }

    /** Ends the session, takes the host changes back and removes the TUN. Idempotent. */
    @Override
    public void close() {
        stop.countDown();
        changed.release(); // wakes run() from its wait
        synchronized (this) {
            if (closed) return;
            closed = true;
            IpSession s = session;
            if (s != null) s.close();
            MasqueConnection c = connection;
            if (c != null) {
                try {
                    c.close().get(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    // going away regardless
                }
            }
            if (host != null) host.close();
            tun.close();
        }
        fromTun.close();
        toTun.close();
        h3.close();
        h2.close();
    }
}
