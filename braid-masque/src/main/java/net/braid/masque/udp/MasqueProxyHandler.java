package net.braid.masque.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.braid.masque.codec.ConnectUdpTarget;
import net.braid.masque.codec.InvalidTargetException;
import net.braid.masque.h3.MasqueStream;
import net.braid.masque.h3.RequestHandler;
import net.braid.masque.h3.RequestHead;
import net.braid.masque.h3.StreamListener;

/**
 * The proxy: serves CONNECT-UDP (RFC 9298) and CONNECT to TCP (RFC 9114 §4.4) on HTTP/3 request
 * streams (or HTTP/2 ones, RFC 8441 and RFC 9113 §8.5), any number per connection. Every other request goes to {@code others} (e.g. CONNECT-IP),
 * or is refused.
 *
 * <p>Checks, in this order, each refusal carrying a Proxy-Status field (RFC 9209):
 * <ol>
 *   <li>a bearer token (RFC 6750). CONNECT-UDP names the proxy itself as origin (the target is in
 *       the path), so it is 401 with {@code WWW-Authenticate: Bearer} and the token travels in
 *       {@code Authorization} (RFC 9110 §11.6). Classic CONNECT addresses the proxy as a proxy, so it
 *       is 407 with {@code Proxy-Authenticate: Bearer} and the token travels in
 *       {@code Proxy-Authorization} (RFC 9110 §11.7); {@code Authorization} is accepted there too,
 *       since over HTTP/3 no other hop could have meant it;
 *   <li>the request: template match and a valid host and port, else 400 {@code http_request_error};
 *   <li>DNS, on a virtual thread: 502 {@code dns_error}, 504 {@code dns_timeout};
 *   <li>the {@link TargetPolicy}, before any packet leaves: 403 {@code destination_ip_prohibited};
 *   <li>the socket: a connected UDP socket (RFC 9298 §3.3 leaves the choice; connected sockets
 *       only accept the target's replies) or a TCP connection: 503 {@code destination_unavailable},
 *       502 {@code connection_refused}, 504 {@code connection_timeout};
 * </ol>
 * then 200 (with {@code capsule-protocol: ?1} for CONNECT-UDP, RFC 9297 §3.4).
 */
public final class MasqueProxyHandler implements RequestHandler {
    private static final String CONNECT_UDP = "connect-udp";
    private static final String REALM = "Bearer realm=\"braid\"";
    private static final FixedRecvByteBufAllocator MAX_UDP_READ = new FixedRecvByteBufAllocator(65_535);

    private final ProxyConfig config;
    private final RequestHandler others;
    private final ProxyCounters counters = new ProxyCounters();
    private final Executor policyChecks = Executors.newVirtualThreadPerTaskExecutor();

    /** @param others handles every request that is neither CONNECT-UDP nor classic CONNECT; null refuses them */
    public MasqueProxyHandler(ProxyConfig config, RequestHandler others) {
        this.config = config;
        this.others = others;
    }

    public MasqueProxyHandler(ProxyConfig config) {
        this(config, null);
    }

    public ProxyCounters counters() {
        return counters;
    }

    @Override
    public StreamListener onRequest(RequestHead request, MasqueStream stream) {
        boolean connect = "CONNECT".equals(request.method());
        if (connect && CONNECT_UDP.equals(request.protocol())) return connectUdp(request, stream);
        if (connect && request.protocol() == null) return connectTcp(request, stream);
        if (others != null) return others.onRequest(request, stream);
        if (connect) {
            refuse(stream, new Refusal(501, ProxyError.HTTP_REQUEST_ERROR, "unsupported :protocol " + request.protocol()), Map.of());
        } else {
            refuse(stream, new Refusal(405, ProxyError.HTTP_REQUEST_ERROR, "only CONNECT is served"), Map.of("allow", "CONNECT"));
        }
        return StreamListener.NONE;
    }

    private StreamListener connectUdp(RequestHead request, MasqueStream stream) {
        if (!config.tokens().accepts(request.header("authorization"))) {
            refuse(stream, new Refusal(401, ProxyError.HTTP_REQUEST_DENIED, "a valid bearer token is required"),
                    Map.of("www-authenticate", REALM));
            return StreamListener.NONE;
        }
        ConnectUdpTarget target;
        try {
            Map<String, String> variables = config.udpTemplate().match(request.path() == null ? "" : request.path())
                    .orElseThrow(() -> new Refusal(ProxyError.HTTP_REQUEST_ERROR,
                            "path does not match " + config.udpTemplate()).raise());
            target = ConnectUdpTarget.fromVariables(variables);
        } catch (Refusal.Raised r) {
            refuse(stream, r.refusal, Map.of());
            return StreamListener.NONE;
        } catch (InvalidTargetException e) {
            refuse(stream, new Refusal(ProxyError.HTTP_REQUEST_ERROR, e.getMessage()), Map.of());
            return StreamListener.NONE;
        }
        var relay = new UdpRelay(stream, counters);
        EventLoop loop = stream.eventLoop();
        permittedAddress(target).thenComposeAsync(address -> openUdp(loop, relay, new InetSocketAddress(address, target.port())), loop)
                .whenCompleteAsync((socket, failure) -> {
                    if (failure != null) {
                        relay.refused();
                        refuse(stream, refusalFor(failure), Map.of());
                    } else if (relay.attach(socket)) {
                        counters.udpSessions.increment();
                        stream.respond(200, Map.of("capsule-protocol", "?1"));
                    }
                }, loop);
        return relay;
    }

    private CompletableFuture<Channel> openUdp(EventLoop loop, UdpRelay relay, InetSocketAddress target) {
        long idle = config.udpIdleTimeout().toMillis();
        ChannelFuture connected = new Bootstrap().group(loop).channel(SocketChannels.udp())
                // Netty reads datagrams into 2048 bytes by default and truncates the rest; a UDP
                // payload may be 65,527 bytes (RFC 9298 §5), which DATAGRAM capsules carry whole.
                .option(ChannelOption.RCVBUF_ALLOCATOR, MAX_UDP_READ)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS), relay);
                    }
                })
                .connect(target);
        return completion(connected, ProxyError.DESTINATION_UNAVAILABLE, target);
    }

    private StreamListener connectTcp(RequestHead request, MasqueStream stream) {
        String credentials = request.header("proxy-authorization");
        if (!config.tokens().accepts(credentials == null ? request.header("authorization") : credentials)) {
            refuse(stream, new Refusal(407, ProxyError.HTTP_REQUEST_DENIED, "a valid bearer token is required"),
                    Map.of("proxy-authenticate", REALM));
            return StreamListener.NONE;
        }
        ConnectUdpTarget target;
        try {
            target = ConnectAuthority.parse(request.authority());
        } catch (IllegalArgumentException e) {
            refuse(stream, new Refusal(ProxyError.HTTP_REQUEST_ERROR, e.getMessage()), Map.of());
            return StreamListener.NONE;
        }
        var relay = new TcpRelay(stream);
        EventLoop loop = stream.eventLoop();
        permittedAddress(target).thenComposeAsync(address -> openTcp(loop, relay, new InetSocketAddress(address, target.port())), loop)
                .whenCompleteAsync((socket, failure) -> {
                    if (failure != null) {
                        relay.refused();
                        refuse(stream, refusalFor(failure), Map.of());
                    } else {
                        counters.tcpSessions.increment();
                        stream.respond(200, Map.of()).addListener(f -> relay.attach(socket));
                    }
                }, loop);
        return relay;
    }

    private CompletableFuture<Channel> openTcp(EventLoop loop, TcpRelay relay, InetSocketAddress target) {
        ChannelFuture connected = new Bootstrap().group(loop).channel(SocketChannels.tcp())
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.AUTO_READ, false) // until the 200 is out and the relay attached
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .handler(relay)
                .connect(target);
        return completion(connected, null, target);
    }

    /** The first resolved address the policy permits; DNS and the policy run off the event loop. */
    private CompletableFuture<InetAddress> permittedAddress(ConnectUdpTarget target) {
        CompletableFuture<List<InetAddress>> addresses = target.isIpLiteral()
                ? CompletableFuture.completedFuture(List.of(target.address()))
                : config.resolver().resolve(target.host()).orTimeout(config.dnsTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return addresses.thenApplyAsync(list -> {
            String why = "no address";
            for (InetAddress a : list) {
                Optional<String> refusal = config.policy().refusal(a);
                if (refusal.isEmpty()) return a;
                why = refusal.get();
            }
            throw new Refusal(ProxyError.DESTINATION_IP_PROHIBITED, why).raise();
        }, policyChecks);
    }

    private static CompletableFuture<Channel> completion(ChannelFuture connect, ProxyError otherwise, InetSocketAddress target) {
        var result = new CompletableFuture<Channel>();
        connect.addListener(f -> {
            if (f.isSuccess()) {
                result.complete(connect.channel());
                return;
            }
            Throwable cause = f.cause();
            ProxyError error = otherwise != null ? otherwise
                    : cause instanceof ConnectTimeoutException ? ProxyError.CONNECTION_TIMEOUT
                    : cause instanceof ConnectException && String.valueOf(cause.getMessage()).contains("refused")
                            ? ProxyError.CONNECTION_REFUSED
                    : ProxyError.DESTINATION_UNAVAILABLE;
            result.completeExceptionally(new Refusal(error, target + ": " + cause.getMessage()).raise());
        });
        return result;
    }

    private static Refusal refusalFor(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
        return switch (t) {
            case Refusal.Raised r -> r.refusal;
            case UnknownHostException e -> new Refusal(ProxyError.DNS_ERROR, "cannot resolve " + e.getMessage());
            case TimeoutException e -> new Refusal(ProxyError.DNS_TIMEOUT, "no DNS answer in time");
            default -> new Refusal(ProxyError.PROXY_INTERNAL_ERROR, String.valueOf(t));
        };
    }

    private void refuse(MasqueStream stream, Refusal refusal, Map<String, String> fields) {
        counters.refused.increment();
        var headers = new LinkedHashMap<String, String>();
        headers.put(ProxyStatus.FIELD, refusal.proxyStatus());
        headers.putAll(fields);
        stream.respond(refusal.status(), headers).addListener(f -> stream.finish());
    }
}
