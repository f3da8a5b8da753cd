package net.braid.cli.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.braid.masque.h2.H2Server;
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
 * handler plugs in), else refused. Optionally an HTTP/2 server on TCP beside it, with the same
 * certificate and handlers, for clients whose network blocks UDP (RFC 8441 extended CONNECT).
 * With {@link ProxySettings#clientTrust} both listeners require a client certificate from those CAs,
 * and every request still needs its bearer token.
 */
public final class ProxyServer implements AutoCloseable {
    private final H3Server server;
    private final H2Server tcpServer; // null without a TCP listener
    private final MasqueProxyHandler handler;
    private final Certificates.Identity identity;
    private final boolean selfSigned;
    private final AtomicInteger connections;

    private ProxyServer(H3Server server, H2Server tcpServer, MasqueProxyHandler handler, Certificates.Identity identity,
                        boolean selfSigned, AtomicInteger connections) {
        this.server = server;
        this.tcpServer = tcpServer;
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
        return start(settings, others, null);
    }

    /**
     * Like {@link #start(ProxySettings, RequestHandler)}, with an HTTP/2 (TLS/TCP) listener on
     * {@code listenTcp} too, or none when it is null. Both listeners serve the same handlers.
     */
    public static ProxyServer start(ProxySettings settings, RequestHandler others, InetSocketAddress listenTcp)
            throws Exception {
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
        }, settings.clientTrust());
        H2Server tcpServer = null;
        if (listenTcp != null) {
            try {
                tcpServer = H2Server.bind(listenTcp, identity, handler, connection -> {
                    connections.incrementAndGet();
                    connection.closeFuture().whenComplete((v, e) -> connections.decrementAndGet());
                }, settings.clientTrust());
            } catch (Exception | Error e) {
                server.close();
                throw e;
            }
        }
        return new ProxyServer(server, tcpServer, handler, identity, selfSigned, connections);
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

    /** The HTTP/2 listener's TCP address, or null when there is none. */
    public InetSocketAddress tcpAddress() {
        return tcpServer == null ? null : tcpServer.localAddress();
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

    /** HTTP/3 and HTTP/2 connections open now. */
    public int connections() {
        return connections.get();
    }

    @Override
    public void close() {
        if (tcpServer != null) tcpServer.close();
        server.close();
    }
}
