package net.braid.masque.h2;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import net.braid.masque.h3.Certificates;
import net.braid.masque.h3.ClientTrust;
import net.braid.masque.h3.HandshakeRefusalLog;
import net.braid.masque.h3.RequestHandler;

/**
 * An HTTP/2 server on one TCP socket: TLS with ALPN "h2" and the same certificate as the HTTP/3
 * listener, SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 8441 §3), and every request stream to the
 * same {@link RequestHandler} the HTTP/3 server uses.
 */
public final class H2Server implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel socket;

    private H2Server(EventLoopGroup group, Channel socket) {
        this.group = group;
        this.socket = socket;
    }

    /**
     * Binds the server.
     *
     * @param onConnection told of each new connection (on its event loop), before any request on it
     */
    public static H2Server bind(InetSocketAddress address, Certificates.Identity identity, RequestHandler handler,
                                Consumer<H2Connection> onConnection) throws InterruptedException, SSLException {
        SslContext tls = SslContextBuilder.forServer(identity.key(), identity.chain())
                .applicationProtocolConfig(H2Transport.alpn())
                .build();
        return bind(address, tls, handler, onConnection);
    }

    /**
     * Binds the server; with {@code clientTrust}, every handshake must present a client certificate
     * chaining to its CAs, as {@link net.braid.masque.h3.H3Server} asks: refusals end in a TLS alert
     * and are logged with the reason.
     *
     * @param clientTrust the CAs of accepted client certificates, or null to ask for none
     */
    public static H2Server bind(InetSocketAddress address, Certificates.Identity identity, RequestHandler handler,
                                Consumer<H2Connection> onConnection, ClientTrust clientTrust)
            throws InterruptedException, GeneralSecurityException, SSLException {
        if (clientTrust == null) return bind(address, identity, handler, onConnection);
        SslContext tls = SslContextBuilder.forServer(identity.key(), identity.chain())
                .applicationProtocolConfig(H2Transport.alpn())
                .clientAuth(ClientAuth.REQUIRE)
                .trustManager(clientTrust.trustManager())
                .build();
        return bind(address, HandshakeRefusalLog.forTcp(tls), handler, onConnection);
    }

    private static H2Server bind(InetSocketAddress address, SslContext tls, RequestHandler handler,
                                 Consumer<H2Connection> onConnection) throws InterruptedException {
        EventLoopGroup group = H2Transport.newEventLoopGroup(1);
        try {
            Channel socket = new ServerBootstrap().group(group).channel(H2Transport.serverChannelType())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel tcp) {
                            var connection = new H2Connection(tcp);
                            var requestStreams = new ChannelInitializer<Http2StreamChannel>() {
                                @Override
                                protected void initChannel(Http2StreamChannel stream) {
                                    stream.pipeline().addLast(H2StreamFrames.forServer(connection, handler));
                                }
                            };
                            tcp.pipeline().addLast(
                                    tls.newHandler(tcp.alloc()),
                                    Http2FrameCodecBuilder.forServer()
                                            .initialSettings(H2Transport.serverSettings())
                                            .gracefulShutdownTimeoutMillis(0)
                                            .build(),
                                    new Http2MultiplexHandler(requestStreams),
                                    new SettingsWatcher(connection));
                            onConnection.accept(connection);
                        }
                    })
                    .bind(address).sync().channel();
            return new H2Server(group, socket);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    public static H2Server bind(InetSocketAddress address, Certificates.Identity identity, RequestHandler handler)
            throws InterruptedException, SSLException {
        return bind(address, identity, handler, connection -> {});
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.localAddress();
    }

    @Override
    public void close() {
        socket.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
