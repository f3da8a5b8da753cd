package net.braid.forward;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.braid.masque.h3.H3Client;
import net.braid.masque.h3.H3Connection;
import net.braid.masque.h3.H3Options;
import net.braid.masque.udp.ProxyRefusedException;
import net.braid.masque.udp.ProxyStatus;

/**
 * Dials a TCP target through an HTTP/3 proxy ({@code braid proxy} or any other): one HTTP/3
 * connection, opened on first use and again after it ends, and one CONNECT request stream
 * (RFC 9114 §4.4) per forwarded connection. The token travels as a bearer token in
 * {@code Proxy-Authorization} (RFC 9110 §11.7.2, RFC 6750 §2.1). Once the proxy answers 2xx the
 * stream's DATA frames carry the bytes and its FIN is the TCP FIN, both ways.
 *
 * <p>The stream itself is the dialled channel, so {@link Relay} applies back-pressure through QUIC
 * flow control and half-closes it like a braid-forward QUIC stream; {@link ConnectExchange} turns
 * DATA frames into bytes and back. (The blocking {@code TcpTunnel} would need two threads and two
 * copies per connection for the same job.)
 */
final class H3ConnectDialer implements Dialer {
    private static final Logger LOG = System.getLogger(H3ConnectDialer.class.getName());

    private final ForwardUrl proxy;
    private final ForwardOptions options;
    private final H3Client client;
    private CompletableFuture<H3Connection> connection;

    H3ConnectDialer(ForwardUrl proxy, ForwardOptions options) throws ForwardException {
        if (options.trust() == null) throw new ForwardException("dialling " + proxy + " needs a pinned key or a CA file");
        try {
            options.trust().trustManager();
        } catch (java.security.GeneralSecurityException e) {
            throw new ForwardException("cannot build the trust manager: " + e.getMessage(), e);
        }
        this.proxy = proxy;
        this.options = options;
        this.client = H3Client.create(options.trust(), H3Options.defaults());
    }

    @Override
    public Future<Channel> dial(EventLoop loop) {
        Promise<Channel> result = loop.newPromise();
        connection().whenComplete((h3, failure) -> {
            if (failure != null) {
                result.tryFailure(connectFailure(failure));
                return;
            }
            Http3.newRequestStream(h3.quic(), new ChannelInitializer<QuicStreamChannel>() {
                @Override
                protected void initChannel(QuicStreamChannel stream) {
                    stream.pipeline().addLast(new ConnectExchange(result), new Relay());
                }
            }).addListener(s -> {
                if (!s.isSuccess()) {
                    result.tryFailure(new ForwardException("cannot open a request stream to proxy " + proxyAddress() + ": "
                            + ForwardException.reason(s.cause()), s.cause()));
                }
            });
        });
        return result;
    }

    /** The current connection, or a new one when there is none or it has ended. */
    private synchronized CompletableFuture<H3Connection> connection() {
        CompletableFuture<H3Connection> current = connection;
        if (current != null && (!current.isDone() || !current.isCompletedExceptionally() && current.join().isOpen())) {
            return current;
        }
        InetSocketAddress address = proxy.socketAddress();
        if (address.isUnresolved()) {
            connection = CompletableFuture.failedFuture(new ForwardException("cannot resolve " + proxy.host()));
            return connection;
        }
        long timeout = options.connectTimeout().toMillis();
        connection = client.connect(address, proxy.host())
                .thenCompose(h3 -> h3.peerSettings().thenApply(settings -> h3)
                        .orTimeout(timeout, TimeUnit.MILLISECONDS)
                        .whenComplete((c, f) -> {
                            if (f != null) h3.close();
                        }))
                .orTimeout(timeout, TimeUnit.MILLISECONDS);
        connection.thenAccept(h3 -> LOG.log(Level.INFO, "HTTP/3 connection to proxy {0} up", proxyAddress()));
        return connection;
    }

    private ForwardException connectFailure(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof ForwardException f) return new ForwardException("cannot reach proxy " + proxyAddress() + ": " + f.getMessage(), f);
        String reason = t instanceof TimeoutException
                ? "no HTTP/3 connection within " + options.connectTimeout().toSeconds() + " s"
                : ForwardException.reason(t);
        return new ForwardException("cannot reach proxy " + proxyAddress() + ": " + reason, t);
    }

    private String proxyAddress() {
        return (proxy.host().indexOf(':') >= 0 ? "[" + proxy.host() + "]" : proxy.host()) + ":" + proxy.port();
    }

    /**
     * Sends the CONNECT request and waits for its answer; after a 2xx, passes DATA payloads up as
     * bytes and wraps written bytes in DATA frames (RFC 9114 §7.2.1). Relay's end-of-output marker
     * (an empty QUIC stream frame with FIN) becomes the stream's FIN, sent once every earlier
     * write has completed: FIN handed to quiche at once would overtake DATA still waiting for
     * flow-control credit.
     */
    private final class ConnectExchange extends ChannelDuplexHandler {
        private final Promise<Channel> result;
        private boolean sent;
        private boolean open;
        private ChannelFuture lastWrite;

        ConnectExchange(Promise<Channel> result) {
            this.result = result;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (ctx.channel().isActive()) sendRequest(ctx);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            sendRequest(ctx);
            ctx.fireChannelActive();
        }

        private void sendRequest(ChannelHandlerContext ctx) {
            if (sent) return;
            sent = true;
            // RFC 9114 §4.4: :method CONNECT and :authority only, no :scheme or :path.
            Http3Headers request = new DefaultHttp3Headers().method("CONNECT").authority(proxy.connectAuthority());
            if (options.token() != null) request.add("proxy-authorization", "Bearer " + options.token());
            ctx.writeAndFlush(new DefaultHttp3HeadersFrame(request)).addListener(f -> {
                if (!f.isSuccess()) fail(ctx, "cannot send CONNECT to proxy " + proxyAddress() + ": " + ForwardException.reason(f.cause()));
            });
            var timeout = ctx.executor().schedule(() -> fail(ctx, "no answer from proxy " + proxyAddress() + " to CONNECT "
                    + proxy.connectAuthority() + " within " + options.connectTimeout().toSeconds() + " s"),
                    options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            result.addListener(r -> timeout.cancel(false));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            switch (msg) {
                case Http3DataFrame data when open -> ctx.fireChannelRead(data.content());
                case Http3HeadersFrame headers when !open -> answer(ctx, headers.headers());
                default -> ReferenceCountUtil.release(msg); // trailers, DATA before the answer
            }
        }

        private void answer(ChannelHandlerContext ctx, Http3Headers headers) {
            CharSequence status = headers.status();
            if (status != null && status.length() == 3 && status.charAt(0) == '1') return; // interim (RFC 9114 §4.1)
            if (status != null && status.length() == 3 && status.charAt(0) == '2') {
                open = true;
                if (!result.trySuccess(ctx.channel())) ctx.close();
                return;
            }
            CharSequence proxyStatus = headers.get(ProxyStatus.FIELD);
            int code;
            try {
                code = status == null ? 0 : Integer.parseInt(status.toString());
            } catch (NumberFormatException e) {
                code = 0;
            }
            var refusal = new ProxyRefusedException("CONNECT to " + proxy.connectAuthority(), code,
                    proxyStatus == null ? null : proxyStatus.toString());
            fail(ctx, "proxy " + proxyAddress() + " " + refusal.getMessage().replaceFirst("^proxy ", ""));
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (!open && event instanceof ChannelInputShutdownEvent) {
                fail(ctx, "proxy " + proxyAddress() + " ended the CONNECT stream without an answer");
                return;
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!open) fail(ctx, "proxy " + proxyAddress() + " closed the CONNECT stream without an answer");
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (open) ctx.fireExceptionCaught(cause);
            else fail(ctx, "CONNECT stream to proxy " + proxyAddress() + " failed: " + ForwardException.reason(cause));
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            switch (msg) {
                case ByteBuf bytes -> data(ctx, bytes, promise);
                case QuicStreamFrame frame when frame.hasFin() -> {
                    ByteBuf rest = frame.content();
                    if (rest.isReadable()) data(ctx, rest, ctx.newPromise());
                    else rest.release();
                    finish(ctx, promise);
                }
                default -> ctx.write(msg, promise);
            }
        }

        private void data(ChannelHandlerContext ctx, ByteBuf bytes, ChannelPromise promise) {
            // Relay writes with the void promise, to which no listener can be added.
            ChannelPromise tracked = promise.isVoid() ? ctx.newPromise() : promise;
            if (promise.isVoid()) tracked.addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
            ctx.write(new DefaultHttp3DataFrame(bytes), tracked);
            lastWrite = tracked;
        }

        private void finish(ChannelHandlerContext ctx, ChannelPromise promise) {
            QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
            ctx.flush();
            ChannelFuture last = lastWrite;
            if (last == null || last.isDone()) stream.shutdownOutput(promise);
            else last.addListener(f -> stream.shutdownOutput(promise));
        }

        private void fail(ChannelHandlerContext ctx, String message) {
            if (result.tryFailure(new ForwardException(message))) ctx.close();
        }
    }

    @Override
    public void close() {
        CompletableFuture<H3Connection> current;
        synchronized (this) {
            current = connection;
        }
        if (current != null && current.isDone() && !current.isCompletedExceptionally()) current.join().close();
        client.close();
    }
}
