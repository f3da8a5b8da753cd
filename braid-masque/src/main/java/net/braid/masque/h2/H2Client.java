package net.braid.masque.h2;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import net.braid.masque.h3.Certificates;
import net.braid.masque.h3.MasqueConnector;
import net.braid.masque.h3.RefusalRecorder;
import net.braid.masque.h3.ServerTrust;

/**
 * Opens HTTP/2 connections over TLS/TCP to MASQUE proxies, trusting servers as {@link ServerTrust}
 * says (the same CA file or pinned key as for HTTP/3). The counterpart of
 * {@link net.braid.masque.h3.H3Client} for networks that block UDP.
 */
public final class H2Client implements MasqueConnector {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private final EventLoopGroup group;
    private final ServerTrust trust;

    private final Certificates.Identity clientIdentity; // null: no client certificate

    private H2Client(EventLoopGroup group, ServerTrust trust, Certificates.Identity clientIdentity) {
        this.group = group;
        this.trust = trust;
        this.clientIdentity = clientIdentity;
    }

    public static H2Client create(ServerTrust trust) {
        return create(trust, null);
    }

    /** A client that presents {@code clientIdentity} when the server asks for a certificate (null: none). */
    public static H2Client create(ServerTrust trust, Certificates.Identity clientIdentity) {
        return new H2Client(H2Transport.newEventLoopGroup(1), trust, clientIdentity);
    }

    /**
     * Connects to {@code server}, presenting {@code serverName} as SNI and, with CA trust, checking
     * the certificate against it. Completes once TCP and TLS are up and ALPN chose h2; the peer's
     * SETTINGS follow at {@link H2Connection#peerSettings()}. A refused certificate fails with an
     * {@link H2Exception} that carries the trust manager's reason.
     */
    @Override
    public CompletableFuture<H2Connection> connect(InetSocketAddress server, String serverName) {
        SslContext tls;
        RefusalRecorder judge;
        try {
            judge = new RefusalRecorder(trust.trustManager());
            tls = SslContextBuilder.forClient()
                    .trustManager(judge)
                    // A pinned key names no host; Netty 4.2 would check the name by default.
                    .endpointIdentificationAlgorithm(trust.checksServerName() ? "HTTPS" : null)
                    .applicationProtocolConfig(H2Transport.alpn())
                    .keyManager(clientIdentity == null ? null : clientIdentity.key(),
                            clientIdentity == null ? null : clientIdentity.chain())
                    .build();
        } catch (GeneralSecurityException | SSLException e) {
            return CompletableFuture.failedFuture(new H2Exception("cannot build the TLS context: " + e.getMessage(), e));
        }
        var result = new CompletableFuture<H2Connection>();
        var connection = new CompletableFuture<H2Connection>();
        ChannelFuture connected = new Bootstrap().group(group).channel(H2Transport.channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel tcp) {
                        var h2 = new H2Connection(tcp);
                        connection.complete(h2);
                        tcp.pipeline().addLast(
                                tls.newHandler(tcp.alloc(), serverName, server.getPort()),
                                Http2FrameCodecBuilder.forClient()
                                        .initialSettings(H2Transport.clientSettings())
                                        .gracefulShutdownTimeoutMillis(0)
                                        .build(),
                                new Http2MultiplexHandler(new PushRefusal()),
                                new SettingsWatcher(h2));
                    }
                })
                .connect(server);
        connected.addListener(c -> {
            if (!c.isSuccess()) {
                result.completeExceptionally(new H2Exception("cannot reach " + server + " over TCP: " + c.cause().getMessage(), c.cause()));
                return;
            }
            Channel tcp = connected.channel();
            SslHandler ssl = tcp.pipeline().get(SslHandler.class);
            ssl.handshakeFuture().addListener(h -> {
                if (!h.isSuccess()) {
                    tcp.close();
                    result.completeExceptionally(handshakeFailure(server, serverName, judge.refusal(), h.cause()));
                } else if (!H2Transport.ALPN.equals(ssl.applicationProtocol())) {
                    tcp.close();
                    result.completeExceptionally(new H2Exception("server " + serverName + " at " + server
                            + " did not choose ALPN h2 (chose " + ssl.applicationProtocol() + ")"));
                } else {
                    result.complete(connection.join());
                }
            });
        });
        return result;
    }

    private static H2Exception handshakeFailure(InetSocketAddress server, String serverName,
                                                CertificateException refusal, Throwable cause) {
        var reason = new StringBuilder();
        if (refusal != null) {
            reason.append("server certificate refused: ").append(refusal.getMessage());
            cause.addSuppressed(refusal);
        }
        for (Throwable t = cause; t != null && refusal == null; t = t.getCause()) {
            if (!reason.isEmpty()) reason.append(": ");
            reason.append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        }
        return new H2Exception("TLS handshake with " + serverName + " at " + server + " failed: " + reason, cause);
    }

    /** A server never opens streams on HTTP/2 but to push (RFC 9113 §8.4), which the client's SETTINGS forbid. */
    private static final class PushRefusal extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.close();
        }

        @Override
        public boolean isSharable() {
            return true;
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
