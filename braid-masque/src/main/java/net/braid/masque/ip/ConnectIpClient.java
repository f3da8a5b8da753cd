package net.braid.masque.ip;

import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.Http3Headers;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import net.braid.masque.codec.ConnectIpScope;
import net.braid.masque.codec.RequestedAddress;
import net.braid.masque.codec.UriTemplate;
import net.braid.masque.h3.MasqueConnection;
import net.braid.masque.udp.ProxyRefusedException;
import net.braid.masque.udp.ProxyStatus;

/**
 * Opens CONNECT-IP sessions (RFC 9484 §4) on an HTTP/3 or HTTP/2 connection to a proxy, any number at once,
 * each on its own request stream. The connection stays the caller's to close.
 */
public final class ConnectIpClient {
    private final MasqueConnection connection;
    private final String authority;
    private final UriTemplate template;
    private final String bearerToken;

    /**
     * @param authority   the :authority of requests, the proxy's host[:port]
     * @param template    the proxy's CONNECT-IP URI template (RFC 9484 §3); its path and query are sent
     * @param bearerToken sent in {@code Authorization} (RFC 6750 §2.1), or null
     */
    public ConnectIpClient(MasqueConnection connection, String authority, UriTemplate template, String bearerToken) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.authority = Objects.requireNonNull(authority, "authority");
        this.template = Objects.requireNonNull(template, "template");
        this.bearerToken = bearerToken;
    }

    /** With the default template {@value UriTemplate#CONNECT_IP_DEFAULT_PATH}. */
    public ConnectIpClient(MasqueConnection connection, String authority, String bearerToken) {
        this(connection, authority, UriTemplate.parse(UriTemplate.CONNECT_IP_DEFAULT_PATH), bearerToken);
    }

    /**
     * Opens a session for {@code scope} and, once the proxy said 200, sends {@code requests} (if
     * any) as one ADDRESS_REQUEST. Completes at the 200; fails with {@link ProxyRefusedException}
     * on any other status. The first ADDRESS_ASSIGN follows at {@link IpSession#firstAssignment()}.
     *
     * @param receiver gets every IP packet from the proxy, on the connection's event loop; null drops them
     */
    public CompletableFuture<IpSession> open(ConnectIpScope scope, List<RequestedAddress> requests,
                                             IpSession.PacketReceiver receiver) {
        String path = pathOf(scope.expand(template));
        Http3Headers request = new DefaultHttp3Headers().method("CONNECT").protocol("connect-ip").scheme("https")
                .authority(authority).path(path)
                .add("capsule-protocol", "?1"); // RFC 9484 §4.1, RFC 9297 §3.4
        if (bearerToken != null) request.add("authorization", "Bearer " + bearerToken);
        var session = new IpSession(receiver);
        return connection.openStream(request, session).thenCompose(stream -> {
            session.attach(stream);
            return stream.response().thenApply(response -> {
                CharSequence status = response.get(":status");
                if (status == null || status.length() != 3 || status.charAt(0) != '2') {
                    stream.finish();
                    CharSequence proxyStatus = response.get(ProxyStatus.FIELD);
                    throw new CompletionException(new ProxyRefusedException("CONNECT-IP " + path,
                            status == null ? 0 : Integer.parseInt(status.toString()),
                            proxyStatus == null ? null : proxyStatus.toString()));
                }
                if (!requests.isEmpty()) session.requestAddresses(requests);
                return session;
            });
        });
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
}
