package net.braid.masque.udp;

import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.Http3Headers;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import net.braid.masque.codec.ConnectUdpTarget;
import net.braid.masque.h2.H2Client;
import net.braid.masque.h3.H3Client;
import net.braid.masque.h3.MasqueConnection;
import net.braid.masque.h3.MasqueConnector;
import net.braid.masque.h3.MasqueStream;
import net.braid.masque.h3.StreamListener;

/**
 * A client of one MASQUE proxy over one HTTP/3 connection (or, where UDP is blocked, one HTTP/2
 * connection: {@link #connectHttp2}), on which it opens any number of CONNECT-UDP sessions
 * (RFC 9298) and CONNECT tunnels (RFC 9114 §4.4, RFC 9113 §8.5) at once, each on its own
 * request stream. Over HTTP/2 UDP payloads travel as DATAGRAM capsules (RFC 9297 §3.5). The bearer token goes in {@code Authorization} for CONNECT-UDP and in
 * {@code Proxy-Authorization} for CONNECT (see {@link MasqueProxyHandler}).
 */
public final class MasqueClient implements AutoCloseable {
    private final ProxyEndpoint endpoint;
    private final MasqueConnector connector;
    private final MasqueConnection connection;

    private MasqueClient(ProxyEndpoint endpoint, MasqueConnector connector, MasqueConnection connection) {
        this.endpoint = endpoint;
        this.connector = connector;
        this.connection = connection;
    }

    /**
     * Connects and waits for the proxy's SETTINGS.
     *
     * @throws IOException when the handshake fails (the message says why), times out, or the proxy
     *     did not enable extended CONNECT
     */
    public static MasqueClient connect(ProxyEndpoint endpoint) throws IOException {
        return connect(endpoint, H3Client.create(endpoint.trust(), endpoint.options()));
    }

    /**
     * Connects over HTTP/2 on TLS/TCP to {@code endpoint.address()} (the proxy's TCP port), for
     * networks that block UDP; {@code endpoint.options()} do not apply.
     *
     * @throws IOException as {@link #connect(ProxyEndpoint)}; extended CONNECT is RFC 8441 §3's here
     */
    public static MasqueClient connectHttp2(ProxyEndpoint endpoint) throws IOException {
        return connect(endpoint, H2Client.create(endpoint.trust()));
    }

    /** Connects with {@code connector}, which the client then owns and closes. */
    public static MasqueClient connect(ProxyEndpoint endpoint, MasqueConnector connector) throws IOException {
        try {
            MasqueConnection connection = await(connector.connect(endpoint.address(), endpoint.serverName()), endpoint, "connect to the proxy");
            var settings = await(connection.peerSettings(), endpoint, "receive the proxy's SETTINGS");
            if (!settings.extendedConnect()) {
                connection.close();
                throw new IOException("proxy " + endpoint.address() + " did not enable extended CONNECT"
                        + " (SETTINGS_ENABLE_CONNECT_PROTOCOL, RFC 9220 §3 / RFC 8441 §3)");
            }
            return new MasqueClient(endpoint, connector, connection);
        } catch (IOException | RuntimeException e) {
            connector.close();
            throw e;
        }
    }

    public MasqueConnection connection() {
        return connection;
    }

    /** Opens a CONNECT-UDP session to {@code host:port}, received payloads queued for {@link UdpTunnel#receive}. */
    public UdpTunnel openUdp(String host, int port) throws IOException {
        return await(openUdpAsync(host, port, null), endpoint, "open CONNECT-UDP to " + ConnectAuthority.format(host, port));
    }

    /** Opens a CONNECT-UDP session whose received payloads go to {@code receiver} on the event loop. */
    public UdpTunnel openUdp(String host, int port, UdpTunnel.Receiver receiver) throws IOException {
        return await(openUdpAsync(host, port, receiver), endpoint, "open CONNECT-UDP to " + ConnectAuthority.format(host, port));
    }

    /**
     * Opens a CONNECT-UDP session; fails with {@link ProxyRefusedException} on a non-2xx answer.
     *
     * @param receiver null to queue payloads for {@link UdpTunnel#receive}
     */
    public CompletableFuture<UdpTunnel> openUdpAsync(String host, int port, UdpTunnel.Receiver receiver) {
        var target = new ConnectUdpTarget(host, port);
        Http3Headers request = new DefaultHttp3Headers().method("CONNECT").protocol("connect-udp").scheme("https")
                .authority(endpoint.authority()).path(pathOf(target.expand(endpoint.udpTemplate())))
                .add("capsule-protocol", "?1"); // RFC 9298 §3.2
        if (endpoint.bearerToken() != null) request.add("authorization", "Bearer " + endpoint.bearerToken());
        String what = "CONNECT-UDP to " + ConnectAuthority.format(target.host(), port);
        var listener = UdpTunnel.listener(ConnectAuthority.format(target.host(), port), receiver);
        return open(request, listener, what, listener::bind);
    }

    /** Opens a CONNECT tunnel to {@code host:port} (TCP from the proxy). */
    public TcpTunnel openTcp(String host, int port) throws IOException {
        return await(openTcpAsync(host, port), endpoint, "open CONNECT to " + ConnectAuthority.format(host, port));
    }

    /** Opens a CONNECT tunnel; fails with {@link ProxyRefusedException} on a non-2xx answer. */
    public CompletableFuture<TcpTunnel> openTcpAsync(String host, int port) {
        var target = new ConnectUdpTarget(host, port); // same host and port rules
        String authority = ConnectAuthority.format(target.host(), port);
        // RFC 9114 §4.4: :method CONNECT and :authority only, no :scheme or :path.
        Http3Headers request = new DefaultHttp3Headers().method("CONNECT").authority(authority);
        if (endpoint.bearerToken() != null) request.add("proxy-authorization", "Bearer " + endpoint.bearerToken());
        var listener = TcpTunnel.listener(authority);
        return open(request, listener, "CONNECT to " + authority, listener::bind);
    }

    private <T> CompletableFuture<T> open(Http3Headers request, StreamListener listener, String what,
                                          Function<MasqueStream, T> bind) {
        return connection.openStream(request, listener).thenCompose(stream -> stream.response().thenApply(response -> {
            CharSequence status = response.get(":status");
            if (status == null || status.length() != 3 || status.charAt(0) != '2') {
                stream.finish();
                CharSequence proxyStatus = response.get(ProxyStatus.FIELD);
                throw new CompletionException(new ProxyRefusedException(what,
                        status == null ? 0 : Integer.parseInt(status.toString()),
                        proxyStatus == null ? null : proxyStatus.toString()));
            }
            return bind.apply(stream);
        }));
    }

    /** The request path for an expanded template: an absolute template's scheme and authority are dropped. */
    private static String pathOf(String expanded) {
        int scheme = expanded.indexOf("://");
        if (scheme < 0) return expanded;
        int path = expanded.indexOf('/', scheme + 3);
        int query = expanded.indexOf('?', scheme + 3);
        int start = path < 0 ? query : query < 0 ? path : Math.min(path, query);
        if (start < 0) return "/";
        return expanded.charAt(start) == '?' ? "/" + expanded.substring(start) : expanded.substring(start);
    }

    private static <T> T await(CompletableFuture<T> future, ProxyEndpoint endpoint, String what) throws IOException {
        try {
            return future.get(endpoint.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to " + what);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new IOException("no answer in " + endpoint.timeout().toMillis() + " ms to " + what + " via " + endpoint.address());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
            if (cause instanceof IOException io) throw io;
            throw new IOException("cannot " + what + " via " + endpoint.address() + ": " + cause.getMessage(), cause);
        }
    }

    /** Closes the connection and every session on it. */
    @Override
    public void close() {
        connection.close();
        connector.close();
    }
}
