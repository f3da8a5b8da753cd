package net.braid.forward;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Forwards every connection accepted at one end to the other end, any pairing of
 * {@code tcp://}, {@code quic://}, {@code ws://} and {@code wss://}, and to an {@code h3://}
 * end (HTTP/3 CONNECT through a proxy) from any of them:
 *
 * <pre>
 * listener (tcp | quic stream | ws upgrade)  → Admission (token, --max-connections)
 *   → Dialer (tcp | quic stream | ws upgrade | h3 CONNECT stream) → Relay ⇄ Relay (back-pressure, half-close)
 * </pre>
 *
 * A connection is accepted only once the far end is reached, so a refusal anywhere ends it at
 * once: a TCP client sees its connection closed, a QUIC client a status byte, a WebSocket client
 * an HTTP status. The wire format is in docs/forward.md.
 */
public final class Forwarder implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel listener;
    private final Dialer dialer;
    private final ForwardUrl listening;
    private final Admission admission;

    private Forwarder(EventLoopGroup group, Channel listener, Dialer dialer, ForwardUrl listening, Admission admission) {
        this.group = group;
        this.listener = listener;
        this.dialer = dialer;
        this.listening = listening;
        this.admission = admission;
    }

    /** Binds {@code listen} and forwards to {@code to} until {@link #close}. */
    public static Forwarder start(ForwardUrl listen, ForwardUrl to, ForwardOptions options)
            throws ForwardException, InterruptedException {
        EventLoopGroup group = IoTransport.newGroup(options.threads());
        Dialer dialer = null;
        try {
            dialer = switch (to.scheme()) {
                case TCP -> new TcpDialer(to, options);
                case QUIC -> new QuicDialer(to, group, options);
                case WS, WSS -> new WebSocketDialer(to, options);
                case H3 -> new H3ConnectDialer(to, options);
            };
            var admission = new Admission(options.token(), options.maxConnections());
            Channel listener;
            try {
                listener = switch (listen.scheme()) {
                    case TCP -> TcpListener.bind(group, listen, admission, dialer);
                    case QUIC -> QuicListener.bind(group, listen, options, admission, dialer);
                    case WS, WSS -> WebSocketListener.bind(group, listen, options, admission, dialer);
                    case H3 -> throw new ForwardException("h3:// is only a --to end; braid proxy serves HTTP/3 CONNECT");
                };
            } catch (RuntimeException e) {
                // Netty rethrows bind errors (e.g. address in use) unchecked.
                throw new ForwardException("cannot listen on " + listen + ": " + ForwardException.reason(e), e);
            }
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            return new Forwarder(group, listener, dialer, listen.withPort(port), admission);
        } catch (ForwardException | InterruptedException | RuntimeException e) {
            if (dialer != null) dialer.close();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** The listening end, with the port actually bound. */
    public ForwardUrl listening() {
        return listening;
    }

    /** Forwarded connections open now. */
    public int openConnections() {
        return admission.open();
    }

    /** Whether the sockets run on epoll (which GSO/GRO need) rather than NIO. */
    public static boolean onEpoll() {
        return IoTransport.epoll();
    }

    /** Completes when the listener closes. */
    public io.netty.channel.ChannelFuture closeFuture() {
        return listener.closeFuture();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        dialer.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
