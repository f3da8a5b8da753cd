package net.braid.forward;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;

/**
 * Accepts WebSocket upgrades (RFC 6455 §4.2) on one path, over TLS for wss://. The upgrade is
 * answered only after the token checked out and the target answered, so a client learns of a
 * refusal from the HTTP status: 401 wrong token, 503 too many connections, 502 unreachable target.
 */
final class WebSocketListener {
    private static final Logger LOG = System.getLogger(WebSocketListener.class.getName());

    private WebSocketListener() {}

    static Channel bind(EventLoopGroup group, ForwardUrl listen, ForwardOptions options, Admission admission,
                        Dialer dialer) throws InterruptedException, ForwardException {
        SslContext tls = null;
        if (listen.scheme().tls()) {
            if (options.identity() == null) throw new ForwardException("listening on " + listen + " needs a certificate and key");
            try {
                tls = SslContextBuilder.forServer(options.identity().key(), options.identity().chain())
                        .sslProvider(SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2").build();
            } catch (SSLException e) {
                throw new ForwardException("cannot build the TLS context: " + e.getMessage(), e);
            }
        }
        SslContext serverTls = tls;
        return new ServerBootstrap().group(group).channel(IoTransport.serverSocket())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, TcpDialer.WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (serverTls != null) ch.pipeline().addLast(serverTls.newHandler(ch.alloc()));
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(16 * 1024),
                                new Gate(listen, admission, dialer), new WebSocketBytes(), new Relay());
                    }
                })
                .bind(listen.socketAddress()).sync().channel();
    }

    private static final class Gate extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final ForwardUrl listen;
        private final Admission admission;
        private final Dialer dialer;
        private final WebSocketServerHandshakerFactory handshakers;

        Gate(ForwardUrl listen, Admission admission, Dialer dialer) {
            this.listen = listen;
            this.admission = admission;
            this.dialer = dialer;
            this.handshakers = new WebSocketServerHandshakerFactory(listen.toString(), null,
                    WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(WebSocketDialer.MAX_FRAME).build());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            ctx.channel().config().setAutoRead(false); // one request; nothing more until it is settled
            if (!new QueryStringDecoder(request.uri()).path().equals(listen.path())) {
                refuse(ctx, HttpResponseStatus.NOT_FOUND, "no WebSocket forward at " + request.uri());
                return;
            }
            WebSocketServerHandshaker handshaker = handshakers.newHandshaker(request);
            if (handshaker == null || !request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
                refuse(ctx, HttpResponseStatus.BAD_REQUEST, "a WebSocket (RFC 6455, version 13) upgrade is required");
                return;
            }
            if (!admission.tokenAccepted(bearer(request))) {
                refuse(ctx, HttpResponseStatus.UNAUTHORIZED, "wrong or missing token");
                return;
            }
            if (!admission.tryEnter()) {
                refuse(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "all " + admission.maxConnections() + " connections in use");
                return;
            }
            Channel ch = ctx.channel();
            ch.closeFuture().addListener(f -> admission.leave());
            FullHttpRequest upgrade = request.retain();
            dialer.dial(ch.eventLoop()).addListener(d -> ch.eventLoop().execute(() -> {
                try {
                    if (!d.isSuccess()) {
                        refuse(ctx, HttpResponseStatus.BAD_GATEWAY, ForwardException.reason(d.cause()));
                    } else if (!ch.isActive()) {
                        ((Channel) d.getNow()).close();
                    } else {
                        Channel target = (Channel) d.getNow();
                        handshaker.handshake(ch, upgrade).addListener((ChannelFutureListener) h -> {
                            if (!h.isSuccess()) {
                                target.close();
                                ch.close();
                                return;
                            }
                            ctx.pipeline().remove(this);
                            Relay.join(ch, target);
                        });
                    }
                } finally {
                    upgrade.release();
                }
            }));
        }

        private static String bearer(FullHttpRequest request) {
            String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
            if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
            return authorization.substring(7).strip();
        }

        private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String reason) {
            LOG.log(Level.WARNING, "{0}: refusing {1}: {2} {3}", listen, ctx.channel().remoteAddress(), status, reason);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(reason + "\n", StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            if (status.equals(HttpResponseStatus.UNAUTHORIZED)) response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(Level.DEBUG, () -> listen + ": " + ctx.channel().remoteAddress() + ": " + ForwardException.reason(cause));
            ctx.close();
        }
    }
}
