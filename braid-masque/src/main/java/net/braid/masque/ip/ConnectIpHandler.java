package net.braid.masque.ip;

import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.braid.config.IpPrefix;
import net.braid.masque.codec.ConnectIpScope;
import net.braid.masque.codec.InvalidTargetException;
import net.braid.masque.h3.MasqueStream;
import net.braid.masque.h3.RequestHandler;
import net.braid.masque.h3.RequestHead;
import net.braid.masque.h3.StreamListener;
import net.braid.masque.udp.ProxyError;
import net.braid.masque.udp.ProxyStatus;

/**
 * The proxy side of CONNECT-IP (RFC 9484), any number of sessions per connection; plug it in as
 * {@code MasqueProxyHandler}'s {@code others}. Packets from clients go to the {@link IpEgress};
 * packets from the egress come back through {@link #returnPath()}.
 *
 * <p>Checks, in this order, each refusal carrying a Proxy-Status field (RFC 9209):
 * <ol>
 *   <li>extended CONNECT with :protocol connect-ip (RFC 9484 §4), else 501 (other :protocol) or 405;
 *   <li>a bearer token in {@code Authorization}: 401 {@code http_request_denied} with
 *       {@code WWW-Authenticate: Bearer} (the proxy is the origin, as for CONNECT-UDP);
 *   <li>template match and a valid scope (RFC 9484 §4.6): 400 {@code http_request_error};
 *   <li>a scope naming a host is resolved: 502 {@code dns_error}, 504 {@code dns_timeout};
 *   <li>the scope against the reachable and denied prefixes: 403 {@code destination_ip_prohibited}
 *       when nothing is left;
 *   <li>an address of each IP version the scope reaches: 503 {@code proxy_internal_error} naming
 *       the exhausted pool;
 * </ol>
 * then 200 with {@code capsule-protocol: ?1} (RFC 9297 §3.4), ADDRESS_ASSIGN and ROUTE_ADVERTISEMENT.
 */
public final class ConnectIpHandler implements RequestHandler {
    private static final String CONNECT_IP = "connect-ip";
    private static final String REALM = "Bearer realm=\"braid\"";

    private final ConnectIpConfig config;
    private final IpEgress egress;
    private final AddressPool pool;
    private final SessionTable<IpProxySession> table = new SessionTable<>();
    private final IpProxyCounters counters = new IpProxyCounters();

    public ConnectIpHandler(ConnectIpConfig config, IpEgress egress) {
        this.config = config;
        this.egress = egress;
        this.pool = new AddressPool(config.pool());
    }

    public IpProxyCounters counters() {
        return counters;
    }

    /** The pool sessions take their addresses from; {@link AddressPool#gateway} is the proxy's own tunnel address. */
    public AddressPool pool() {
        return pool;
    }

    /**
     * A new way back for packets the egress delivers: one per thread that reads the egress, since
     * each keeps its own buffer.
     */
    public ReturnPath returnPath() {
        return new ReturnPath(table, counters);
    }

    ConnectIpConfig config() {
        return config;
    }

    IpEgress egress() {
        return egress;
    }

    SessionTable<IpProxySession> table() {
        return table;
    }

    @Override
    public StreamListener onRequest(RequestHead request, MasqueStream stream) {
        if (!"CONNECT".equals(request.method())) {
            refuse(stream, 405, ProxyError.HTTP_REQUEST_ERROR, "only CONNECT is served", Map.of("allow", "CONNECT"));
            return StreamListener.NONE;
        }
        if (!CONNECT_IP.equals(request.protocol())) {
            refuse(stream, 501, ProxyError.HTTP_REQUEST_ERROR, "unsupported :protocol " + request.protocol(), Map.of());
            return StreamListener.NONE;
        }
        if (!config.tokens().accepts(request.header("authorization"))) {
            refuse(stream, 401, ProxyError.HTTP_REQUEST_DENIED, "a valid bearer token is required",
                    Map.of("www-authenticate", REALM));
            return StreamListener.NONE;
        }
        ConnectIpScope scope;
        try {
            var variables = config.template().match(request.path() == null ? "" : request.path());
            if (variables.isEmpty()) {
                refuse(stream, ProxyError.HTTP_REQUEST_ERROR, "path does not match " + config.template());
                return StreamListener.NONE;
            }
            scope = ConnectIpScope.fromVariables(variables.get());
        } catch (InvalidTargetException e) {
            refuse(stream, ProxyError.HTTP_REQUEST_ERROR, e.getMessage());
            return StreamListener.NONE;
        }
        if (scope.ipProtocol() == 0) {
            // RFC 9484 §4.7.3: IP Protocol 0 in a route means every protocol, so HOPOPT alone cannot be advertised.
            refuse(stream, ProxyError.HTTP_REQUEST_ERROR, "ipproto 0 cannot be served; use * for all protocols");
            return StreamListener.NONE;
        }
        var session = new IpProxySession(this, stream);
        EventLoop loop = stream.eventLoop();
        scopePrefixes(scope).whenCompleteAsync((prefixes, failure) -> {
            if (session.ended()) return;
            if (failure != null) {
                session.end();
                refuse(stream, dnsRefusal(failure), detail(failure));
                return;
            }
            int protocol = scope.ipProtocol() == ConnectIpScope.ANY_PROTOCOL ? 0 : scope.ipProtocol();
            RouteTable routes = RouteTable.forScope(config.reachable(), config.denied(), prefixes, protocol);
            if (routes.isEmpty()) {
                session.end();
                refuse(stream, ProxyError.DESTINATION_IP_PROHIBITED, "scope " + describe(scope) + " reaches no permitted address");
                return;
            }
            String exhausted = session.assignInitial(routes);
            if (exhausted != null) {
                session.end();
                refuse(stream, 503, ProxyError.PROXY_INTERNAL_ERROR, exhausted, Map.of());
                return;
            }
            stream.respond(200, Map.of("capsule-protocol", "?1"));
            session.open();
        }, loop);
        return session;
    }

    /** The scope's target as prefixes, or null for any host; a host name is resolved off the event loop. */
    private CompletableFuture<List<IpPrefix>> scopePrefixes(ConnectIpScope scope) {
        return switch (scope.target()) {
            case ConnectIpScope.Target.Any any -> CompletableFuture.completedFuture(null);
            case ConnectIpScope.Target.Prefix(IpPrefix p) -> CompletableFuture.completedFuture(List.of(p));
            case ConnectIpScope.Target.Host(String name) -> config.resolver().resolve(name)
                    .orTimeout(config.dnsTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .thenApply(addresses -> {
                        List<IpPrefix> hosts = new ArrayList<>();
                        for (InetAddress a : addresses) hosts.add(IpPrefix.host(a));
                        return hosts;
                    });
        };
    }

    private static String describe(ConnectIpScope scope) {
        var v = scope.variables();
        return v.get(ConnectIpScope.TARGET) + " ipproto " + v.get(ConnectIpScope.IPPROTO);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
        return t;
    }

    private static ProxyError dnsRefusal(Throwable failure) {
        return switch (unwrap(failure)) {
            case UnknownHostException e -> ProxyError.DNS_ERROR;
            case TimeoutException e -> ProxyError.DNS_TIMEOUT;
            default -> ProxyError.PROXY_INTERNAL_ERROR;
        };
    }

    private static String detail(Throwable failure) {
        Throwable t = unwrap(failure);
        return t instanceof UnknownHostException ? "cannot resolve " + t.getMessage()
                : t instanceof TimeoutException ? "no DNS answer in time" : String.valueOf(t);
    }

    private void refuse(MasqueStream stream, ProxyError error, String details) {
        refuse(stream, error.status(), error, details, Map.of());
    }

    private void refuse(MasqueStream stream, int status, ProxyError error, String details, Map<String, String> fields) {
        counters.refused.increment();
        var headers = new LinkedHashMap<String, String>();
        headers.put(ProxyStatus.FIELD, ProxyStatus.of(error, details));
        headers.putAll(fields);
        stream.respond(status, headers).addListener(f -> stream.finish());
    }
}
