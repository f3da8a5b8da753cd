package net.braid.forward;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Dials a WebSocket end (RFC 6455), one TCP connection and one upgrade per forwarded connection;
 * the token travels as {@code Authorization: Bearer} (RFC 6750 §2.1) on the upgrade request.
 */
final class WebSocketDialer implements Dialer {
    /** Largest frame accepted; the relay writes what one socket read returned, well below this. */
    static final int MAX_FRAME = 1 << 20;

    private final ForwardUrl peer;
    private final ForwardOptions options;
    private final InetSocketAddress address;
    private final URI uri;
    private final SslContext tls;

    WebSocketDialer(ForwardUrl peer, ForwardOptions options) throws ForwardException {
        this.peer = peer;
        this.options = options;
        this.address = peer.socketAddress();
        this.uri = URI.create(peer.toString());
        if (peer.scheme().tls()) {
            if (options.trust() == null) throw new ForwardException("dialling " + peer + " needs a pinned key or a CA file");
            try {
                tls = SslContextBuilder.forClient()
                        .sslProvider(SslProvider.JDK)
                        .protocols("TLSv1.3", "TLSv1.2")
                        .trustManager(options.trust().trustManager())
                        .endpointIdentificationAlgorithm(options.trust().checksServerName() ? "HTTPS" : null)
                        .build();
            } catch (GeneralSecurityException | SSLException e) {
                throw new ForwardException("cannot build the TLS context: " + e.getMessage(), e);
            }
        } else {
            tls = null;
        }
    }

    @Override
    public Future<Channel> dial(EventLoop loop) {
        Promise<Channel> result = loop.newPromise();
        var headers = new DefaultHttpHeaders();
        if (options.token() != null) headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + options.token());
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
                uri, WebSocketVersion.V13, null, false, headers, MAX_FRAME);
        ChannelFuture connect = TcpDialer.configure(new Bootstrap().group(loop))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) ch.pipeline().addLast(tls.newHandler(ch.alloc(), peer.host(), peer.port()));
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(16 * 1024),
                                new Upgrade(handshaker, result), new WebSocketBytes(), new Relay());
                    }
                })
                .connect(address);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                result.tryFailure(new ForwardException("cannot reach " + peer + ": " + ForwardException.reason(f.cause()), f.cause()));
                return;
            }
            var timeout = loop.schedule(() -> {
                if (result.tryFailure(new ForwardException("no WebSocket upgrade from " + peer + " within "
                        + options.connectTimeout().toSeconds() + " s"))) {
                    connect.channel().close();
                }
            }, options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            result.addListener(r -> timeout.cancel(false));
        });
        return result;
    }

    /** Sends the upgrade request and checks the answer; then leaves the channel to the frames. */
    private final class Upgrade extends ChannelInboundHandlerAdapter {
        private final WebSocketClientHandshaker handshaker;
        private final Promise<Channel> result;

        Upgrade(WebSocketClientHandshaker handshaker, Promise<Channel> result) {
            this.handshaker = handshaker;
            this.result = result;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            handshaker.handshake(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof FullHttpResponse response)) {
                ctx.fireChannelRead(msg);
                return;
            }
            try {
                if (!response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
                    String body = response.content().toString(StandardCharsets.UTF_8).strip();
                    fail(ctx, peer + " refused the WebSocket upgrade: " + response.status()
                            + (body.isEmpty() ? "" : ": " + body));
                    return;
                }
                handshaker.finishHandshake(ctx.channel(), response);
            } catch (RuntimeException e) {
                fail(ctx, peer + " sent a bad WebSocket upgrade answer: " + e.getMessage());
                return;
            } finally {
                ReferenceCountUtil.release(response);
            }
            ctx.pipeline().remove(this);
            if (!result.trySuccess(ctx.channel())) ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(ctx, peer + " closed the connection during the WebSocket upgrade");
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            String what = peer.scheme().tls() ? "TLS or WebSocket handshake with " : "WebSocket upgrade with ";
            fail(ctx, what + peer + " failed: " + ForwardException.reason(cause));
        }

        private void fail(ChannelHandlerContext ctx, String message) {
            result.tryFailure(new ForwardException(message));
            ctx.close();
        }
    }
}
