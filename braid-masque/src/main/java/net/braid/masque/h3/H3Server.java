package net.braid.masque.h3;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ServerConnectionHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.ssl.ClientAuth;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;

/**
 * An HTTP/3 server on one UDP socket: QUIC with ALPN "h3", raised UDP payload size, QUIC DATAGRAM
 * frames, and SETTINGS that enable extended CONNECT and HTTP Datagrams. Each request stream goes
 * to the {@link RequestHandler}; each datagram to the stream its quarter stream ID names.
 */
public final class H3Server implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel socket;

    private H3Server(EventLoopGroup group, Channel socket) {
        this.group = group;
        this.socket = socket;
    }

    /**
     * Binds the server.
     *
     * @param onConnection told of each new connection (on its event loop), before any request on it
     */
    public static H3Server bind(InetSocketAddress address, Certificates.Identity identity, H3Options options,
                                RequestHandler handler, Consumer<H3Connection> onConnection) throws InterruptedException {
        try {
            return bind(address, identity, options, handler, onConnection, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("only a client trust's trust manager throws this", e);
        }
    }

    /**
     * Binds the server; with {@code clientTrust}, every handshake must present a client certificate
     * that chains to its CAs (mutual TLS): one without, or with another, is refused with a TLS alert
     * (RFC 8446 §4.4.2.4: certificate_required, unknown_ca, ...) and logged with the reason.
     *
     * @param clientTrust the CAs of accepted client certificates, or null to ask for none
     */
    public static H3Server bind(InetSocketAddress address, Certificates.Identity identity, H3Options options,
                                RequestHandler handler, Consumer<H3Connection> onConnection, ClientTrust clientTrust)
            throws InterruptedException, GeneralSecurityException {
        QuicSslContextBuilder tlsBuilder = QuicSslContextBuilder
                .forServer(identity.key(), null, identity.chain().toArray(X509Certificate[]::new))
                .applicationProtocols(H3Transport.ALPN);
        if (clientTrust != null) tlsBuilder.clientAuth(ClientAuth.REQUIRE).trustManager(clientTrust.trustManager());
        QuicSslContext tls = tlsBuilder.build();
        ChannelHandler codec = H3Transport.configure(Http3.newQuicServerCodecBuilder(), options)
                .sslContext(tls)
                // No token handler means no Retry round trip: quiche still caps what an unvalidated
                // address can make us send to three times what it sent (RFC 9000 §8.1).
                .handler(new ChannelInitializer<QuicChannel>() {
                    @Override
                    protected void initChannel(QuicChannel quic) {
                        var connection = new H3Connection(options);
                        connection.attach(quic);
                        var requestStreams = new ChannelInitializer<QuicStreamChannel>() {
                            @Override
                            protected void initChannel(QuicStreamChannel stream) {
                                stream.pipeline().addLast(StreamFrames.forServer(connection, handler));
                            }
                        };
                        quic.pipeline().addLast(
                                new Http3ServerConnectionHandler(requestStreams, new SettingsWatcher(connection), null,
                                        H3Transport.localSettings(options), true),
                                connection.router());
                        if (clientTrust != null) quic.pipeline().addLast(HandshakeRefusalLog.forQuic());
                        onConnection.accept(connection);
                    }
                })
                .build();
        EventLoopGroup group = H3Transport.newEventLoopGroup(1);
        try {
            Channel socket = new Bootstrap().group(group).channel(H3Transport.datagramChannelType())
                    .handler(codec).bind(address).sync().channel();
            return new H3Server(group, socket);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    public static H3Server bind(InetSocketAddress address, Certificates.Identity identity, H3Options options,
                                RequestHandler handler) throws InterruptedException {
        return bind(address, identity, options, handler, connection -> {});
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.localAddress();
    }

    /** Whether the socket runs on epoll (else NIO). */
    public boolean onEpoll() {
        return H3Transport.epoll();
    }

    @Override
    public void close() {
        socket.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
