package net.braid.cli.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.braid.masque.h3.Certificates;
import net.braid.masque.h3.H3Options;
import net.braid.masque.h3.H3Server;
import net.braid.masque.h3.RequestHandler;
import net.braid.masque.udp.AccessTokens;
import net.braid.masque.udp.MasqueProxyHandler;
import net.braid.masque.udp.ProxyConfig;
import net.braid.masque.udp.ProxyCounters;
import net.braid.masque.udp.TargetPolicy;

/**
 * A running MASQUE proxy: an HTTP/3 server whose requests go to {@link MasqueProxyHandler}
 * (CONNECT-UDP and CONNECT), and every other request to {@code others} (where a CONNECT-IP
 * handler plugs in), else refused.
 */
public final class ProxyServer implements AutoCloseable {
    private final H3Server server;
    private final MasqueProxyHandler handler;
    private final Certificates.Identity identity;
    private final boolean selfSigned;
    private final AtomicInteger connections;

    private ProxyServer(H3Server server, MasqueProxyHandler handler, Certificates.Identity identity, boolean selfSigned,
                        AtomicInteger connections) {
        this.server = server;
        this.handler = handler;
        this.identity = identity;
        this.selfSigned = selfSigned;
        this.connections = connections;
    }

    /**
     * Binds and serves until {@link #close}.
     *
     * @param others handles what is neither CONNECT-UDP nor CONNECT (e.g. CONNECT-IP); null refuses it
     * @throws InterruptedException while binding
     * @throws Exception            what the bind failed with (Netty throws the native error unchecked or sneakily)
     */
    public static ProxyServer start(ProxySettings settings, RequestHandler others) throws Exception {
        Certificates.Identity identity = settings.identity();
        boolean selfSigned = identity == null;
        if (selfSigned) identity = Certificates.selfSigned(selfSignedNames(settings.listen()), Duration.ofDays(365));
        ProxyConfig config = ProxyConfig.defaults(AccessTokens.of(settings.tokens()))
                .withPolicy(TargetPolicy.allowing(settings.allowedTargets()))
                .withUdpIdleTimeout(settings.udpIdleTimeout());
        var handler = new MasqueProxyHandler(config, others);
        var connections = new AtomicInteger();
        H3Server server = H3Server.bind(settings.listen(), identity, H3Options.defaults(), handler, connection -> {
            connections.incrementAndGet();
            connection.closeFuture().whenComplete((v, e) -> connections.decrementAndGet());
        });
        return new ProxyServer(server, handler, identity, selfSigned, connections);
    }

    /** The listen address, or "localhost" for a wildcard, so CA-style clients have a name to check too. */
    static List<String> selfSignedNames(InetSocketAddress listen) {
        List<String> names = new ArrayList<>();
        InetAddress a = listen.getAddress();
        if (a != null && !a.isAnyLocalAddress()) names.add(a.getHostAddress());
        names.add("localhost");
        return names;
    }

    public InetSocketAddress localAddress() {
        return server.localAddress();
    }

    /** The base64 SHA-256 of the certificate's public key, what clients pin. */
    public String pin() {
        return Certificates.spkiSha256(identity.leaf());
    }

    public boolean selfSigned() {
        return selfSigned;
    }

    public ProxyCounters.Snapshot counters() {
        return handler.counters().snapshot();
    }

    /** HTTP/3 connections open now. */
    public int connections() {
        return connections.get();
    }

    @Override
    public void close() {
        server.close();
    }
}
