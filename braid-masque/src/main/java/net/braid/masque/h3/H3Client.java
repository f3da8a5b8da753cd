package net.braid.masque.h3;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens HTTP/3 connections with braid's QUIC settings (see {@link H3Server}). Each connection gets
 * its own UDP socket, closed with it, so one path's trouble stays on that path.
 */
public final class H3Client implements MasqueConnector {
    private final EventLoopGroup group;
    private final ServerTrust trust;
    private final H3Options options;

    private final Certificates.Identity clientIdentity; // null: no client certificate

    private H3Client(EventLoopGroup group, ServerTrust trust, H3Options options, Certificates.Identity clientIdentity) {
        this.group = group;
        this.trust = trust;
        this.options = options;
        this.clientIdentity = clientIdentity;
    }

    public static H3Client create(ServerTrust trust, H3Options options) {
        return create(trust, options, null);
    }

    /** A client that presents {@code clientIdentity} when the server asks for a certificate (null: none). */
    public static H3Client create(ServerTrust trust, H3Options options, Certificates.Identity clientIdentity) {
        return new H3Client(H3Transport.newEventLoopGroup(1), trust, options, clientIdentity);
    }

    /**
     * Connects to {@code server}, presenting {@code serverName} as SNI and, with CA trust, checking
     * the certificate against it. Completes once QUIC and TLS are up; the peer's SETTINGS follow at
     * {@link H3Connection#peerSettings()}. A refused certificate fails with an {@link H3Exception}
     * that carries the trust manager's reason.
     */
    @Override
    public CompletableFuture<H3Connection> connect(InetSocketAddress server, String serverName) {
        var result = new CompletableFuture<H3Connection>();
        QuicSslContext tls;
        RefusalRecorder judge;
        try {
            judge = new RefusalRecorder(trust.trustManager());
            // ALPN exactly "h3" (RFC 9114 §3.1): Netty's Http3.supportedApplicationProtocols() adds h3-29..h3-32.
            QuicSslContextBuilder builder = QuicSslContextBuilder.forClient()
                    .applicationProtocols(H3Transport.ALPN)
                    .trustManager(judge)
                    .endpointIdentificationAlgorithm(trust.checksServerName() ? "HTTPS" : null);
            if (clientIdentity != null) {
                builder.keyManager(clientIdentity.key(), null, clientIdentity.chain().toArray(X509Certificate[]::new));
            }
            tls = builder.build();
        } catch (GeneralSecurityException e) {
            return CompletableFuture.failedFuture(new H3Exception("cannot build the TLS context: " + e.getMessage(), e));
        }
        ChannelHandler codec = H3Transport.configure(Http3.newQuicClientCodecBuilder(), options)
                .sslEngineProvider(quic -> tls.newEngine(quic.alloc(), serverName, server.getPort()))
                .build();
        InetAddress wildcard = server.getAddress() instanceof Inet6Address
                ? InetAddress.ofLiteral("::") : InetAddress.ofLiteral("0.0.0.0");
        ChannelFuture bound = new Bootstrap().group(group).channel(H3Transport.datagramChannelType())
                .handler(codec).bind(new InetSocketAddress(wildcard, 0));
        bound.addListener(b -> {
            if (!b.isSuccess()) {
                result.completeExceptionally(new H3Exception("cannot open a UDP socket", b.cause()));
                return;
            }
            Channel socket = bound.channel();
            var connection = new H3Connection(options);
            QuicChannel.newBootstrap(socket)
                    .handler(new ChannelInitializer<QuicChannel>() {
                        @Override
                        protected void initChannel(QuicChannel quic) {
                            connection.attach(quic);
                            quic.pipeline().addLast(
                                    new Http3ClientConnectionHandler(new SettingsWatcher(connection), null, null,
                                            H3Transport.localSettings(options), true),
                                    connection.router(),
                                    new ChannelInboundHandlerAdapter() {
                                        @Override
                                        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                                            if (event instanceof QuicConnectionCloseEvent close) connection.peerClosed(close);
                                            ctx.fireUserEventTriggered(event);
                                        }
                                    });
                        }
                    })
                    .remoteAddress(server)
                    .connect()
                    .addListener(connected -> {
                        if (connected.isSuccess()) {
                            ((QuicChannel) connected.getNow()).closeFuture().addListener(c -> socket.close());
                            result.complete(connection);
                        } else {
                            socket.close();
                            result.completeExceptionally(handshakeFailure(server, serverName, judge.refusal(), connected.cause()));
                        }
                    });
        });
        return result;
    }

    private static H3Exception handshakeFailure(InetSocketAddress server, String serverName,
                                                CertificateException refusal, Throwable cause) {
        var reason = new StringBuilder();
        if (refusal != null) {
            reason.append("server certificate refused: ").append(refusal.getMessage());
            cause.addSuppressed(refusal);
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (!reason.isEmpty()) reason.append(": ");
            reason.append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        }
        return new H3Exception("QUIC/TLS handshake with " + serverName + " at " + server + " failed: " + reason, cause);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
