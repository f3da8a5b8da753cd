package net.braid.masque.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.braid.config.IpPrefix;
import net.braid.masque.codec.AssignedAddress;
import net.braid.masque.codec.ConnectIpScope;
import net.braid.masque.codec.UriTemplate;
import net.braid.masque.h3.Certificates;
import net.braid.masque.h3.H3Options;
import net.braid.masque.h3.MasqueStream;
import net.braid.masque.h3.SendOutcome;
import net.braid.masque.h3.ServerTrust;
import net.braid.masque.h3.StreamListener;
import net.braid.masque.ip.ConnectIpClient;
import net.braid.masque.ip.ConnectIpConfig;
import net.braid.masque.ip.ConnectIpHandler;
import net.braid.masque.ip.IpEgress;
import net.braid.masque.ip.IpSession;
import net.braid.masque.ip.ReturnPath;
import net.braid.masque.udp.AccessTokens;
import net.braid.masque.udp.HostResolver;
import net.braid.masque.udp.MasqueClient;
import net.braid.masque.udp.MasqueProxyHandler;
import net.braid.masque.udp.ProxyConfig;
import net.braid.masque.udp.ProxyEndpoint;
import net.braid.masque.udp.ProxyRefusedException;
import net.braid.masque.udp.ProxyStatus;
import net.braid.masque.udp.TargetPolicy;
import net.braid.masque.udp.UdpTunnel;
import net.braid.packet.AddressPair;
import net.braid.packet.IcmpEcho;
import net.braid.packet.IpPacket;
import net.braid.packet.Ipv4Header;
import net.braid.packet.Ipv6Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Client and proxy in process over loopback HTTP/2 (TLS/TCP): the HTTP/3 handlers, unchanged,
 * behind {@link H2Server}; the library clients on {@link H2Client}. CONNECT to a TCP echo,
 * CONNECT-UDP to a UDP echo (payloads in DATAGRAM capsules), CONNECT-IP to an egress double.
 * Targets are 127.0.0.1 (allow-listed), 198.18.0.0/16 and 2001:db8:2::/48 (never leave the process).
 */
class H2MasqueTest {
    static final String TOKEN = "h2-Token_1";
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final InetAddress TARGET_V4 = InetAddress.ofLiteral("198.18.0.5");
    static final InetAddress TARGET_V6 = InetAddress.ofLiteral("2001:db8:2::5");

    static final HostResolver TEST_DNS = host -> host.equals("echo.test")
            ? CompletableFuture.completedFuture(List.of(LOOPBACK))
            : CompletableFuture.failedFuture(new UnknownHostException(host));

    /** Stands where the TUN would: keeps copies of what the proxy writes. */
    static final BlockingQueue<byte[]> egressed = new LinkedBlockingQueue<>();
    static final IpEgress EGRESS = packet -> {
        byte[] copy = new byte[packet.remaining()];
        packet.duplicate().get(copy);
        return egressed.add(copy);
    };

    static Certificates.Identity identity;
    static MasqueProxyHandler proxy;
    static ConnectIpHandler ipProxy;
    static ReturnPath returnPath;
    static H2Server server;
    static DatagramSocket udpEcho;
    static ServerSocket tcpEcho;
    static final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeAll
    static void start() throws Exception {
        identity = Certificates.selfSigned(List.of("localhost"), Duration.ofDays(1));
        var cfg = ProxyConfig.defaults(AccessTokens.of(Set.of(TOKEN)))
                .withPolicy(TargetPolicy.allowing(List.of(IpPrefix.parse("127.0.0.1/32"))));
        ipProxy = new ConnectIpHandler(ConnectIpConfig.defaults(AccessTokens.of(Set.of(TOKEN)),
                        List.of(IpPrefix.parse("198.19.0.0/28"), IpPrefix.parse("2001:db8:1::/120")))
                .withReachable(List.of(IpPrefix.parse("198.18.0.0/16"), IpPrefix.parse("2001:db8:2::/48")), List.of())
                .withMtu(1400), EGRESS);
        proxy = new MasqueProxyHandler(new ProxyConfig(cfg.tokens(), cfg.udpTemplate(), cfg.policy(), TEST_DNS,
                cfg.dnsTimeout(), cfg.connectTimeout(), Duration.ofSeconds(30)), ipProxy);
        server = H2Server.bind(new InetSocketAddress(LOOPBACK, 0), identity, proxy);
        returnPath = ipProxy.returnPath();

        udpEcho = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        threads.submit(() -> {
            byte[] buf = new byte[65535];
            while (!udpEcho.isClosed()) {
                var packet = new DatagramPacket(buf, buf.length);
                try {
                    udpEcho.receive(packet);
                    udpEcho.send(new DatagramPacket(buf, packet.getLength(), packet.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        });
        tcpEcho = new ServerSocket(0, 50, LOOPBACK);
        threads.submit(() -> {
            while (!tcpEcho.isClosed()) {
                Socket s;
                try {
                    s = tcpEcho.accept();
                } catch (IOException e) {
                    return;
                }
                threads.submit(() -> echoThenTrailer(s));
            }
        });
    }

    /** Echoes every byte; after the client's FIN it still sends a trailer, proving the half-close. */
    static void echoThenTrailer(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[32 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
            out.write("after your FIN".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
        } catch (IOException e) {
            // the test whose connection this was fails on the missing trailer
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) server.close();
        if (returnPath != null) returnPath.close();
        if (udpEcho != null) udpEcho.close();
        if (tcpEcho != null) tcpEcho.close();
        threads.shutdownNow();
    }

    static ServerTrust trust() {
        return ServerTrust.PinnedKeys.of(Certificates.spkiSha256(identity.leaf()));
    }

    static ProxyEndpoint endpoint(InetSocketAddress address, String token) {
        return new ProxyEndpoint(address, "localhost", trust(), token,
                UriTemplate.parse(UriTemplate.CONNECT_UDP_DEFAULT_PATH), H3Options.defaults(), TIMEOUT);
    }

    static ProxyEndpoint endpoint(String token) {
        return endpoint(server.localAddress(), token);
    }

    @Test
    void connectCarriesBytesBothWaysWithHalfClose() throws Exception {
        byte[] data = new byte[2 << 20];
        new Random(3).nextBytes(data);
        try (var client = MasqueClient.connectHttp2(endpoint(TOKEN));
             var tunnel = client.openTcp("127.0.0.1", tcpEcho.getLocalPort())) {
            assertThat(client.connection()).isInstanceOf(H2Connection.class);
            Future<byte[]> received = threads.submit(() -> {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[64 * 1024];
                long total = 0;
                var tail = new ByteArrayOutputStream();
                InputStream in = tunnel.input();
                for (int n; (n = in.read(buf)) >= 0; ) {
                    int echoPart = (int) Math.max(0, Math.min(n, data.length - total));
                    sha.update(buf, 0, echoPart);
                    tail.write(buf, echoPart, n - echoPart);
                    total += n;
                }
                assertThat(tail.toString(StandardCharsets.US_ASCII)).isEqualTo("after your FIN");
                return sha.digest();
            });
            OutputStream out = tunnel.output();
            for (int off = 0; off < data.length; off += 100_000) out.write(data, off, Math.min(100_000, data.length - off));
            out.close(); // END_STREAM; the echo server answers with its trailer, then its own FIN

            assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        }
    }

    @Test
    void connectUdpPayloadsTravelAsDatagramCapsules() throws Exception {
        try (var client = MasqueClient.connectHttp2(endpoint(TOKEN));
             var tunnel = client.openUdp("echo.test", udpEcho.getLocalPort())) {
            assertThat(tunnel.usesQuicDatagrams()).isFalse();
            Set<String> got = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                assertThat(tunnel.send(ByteBuffer.wrap(("capsule-" + i).getBytes(StandardCharsets.US_ASCII))))
                        .isEqualTo(SendOutcome.SENT);
            }
            for (int i = 0; i < 20; i++) {
                byte[] reply = tunnel.receive(TIMEOUT);
                assertThat(reply).as("reply %d", i).isNotNull();
                got.add(new String(reply, StandardCharsets.US_ASCII));
            }
            assertThat(got).hasSize(20).allMatch(s -> s.startsWith("capsule-"));

            // Larger than any QUIC DATAGRAM on a 1500-byte path: only a capsule can carry it.
            byte[] big = new byte[8000];
            new Random(2).nextBytes(big);
            assertThat(tunnel.send(ByteBuffer.wrap(big))).isEqualTo(SendOutcome.SENT);
            assertThat(tunnel.receive(TIMEOUT)).isEqualTo(big);
        }
    }

    @Test
    void connectIpAssignsAddressesAndCarriesAnEchoThroughTheEgress() throws Exception {
        try (H2Client h2 = H2Client.create(trust())) {
            H2Connection c = h2.connect(server.localAddress(), "localhost").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
            IpSession session = new ConnectIpClient(c, "localhost:" + server.localAddress().getPort(), TOKEN)
                    .open(ConnectIpScope.ANY, List.of(), p -> {
                        byte[] copy = new byte[p.remaining()];
                        p.duplicate().get(copy);
                        received.add(copy);
                    }).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<AssignedAddress> addresses = session.firstAssignment().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(addresses).hasSize(2);
            assertThat(session.usesQuicDatagrams()).isFalse();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (session.routes().isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(session.routes()).isNotEmpty();

            for (int version : new int[] {4, 6}) {
                InetAddress source = addresses.stream().map(AssignedAddress::address)
                        .filter(a -> a.getAddress().length == (version == 4 ? 4 : 16)).findFirst().orElseThrow();
                byte[] request = echo(source, version == 4 ? TARGET_V4 : TARGET_V6, 100 + version, 64, 56);
                assertThat(session.send(ByteBuffer.wrap(request))).isTrue();

                byte[] out = egressed.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(out).as("IPv%d echo at the egress", version).isNotNull();
                assertThat(ttl(out)).isEqualTo(63);
                assertThat(IcmpEcho.parse(ByteBuffer.wrap(out), 0, out.length))
                        .isEqualTo(IcmpEcho.parse(ByteBuffer.wrap(request), 0, request.length));

                byte[] reply = reply(out);
                assertThat(returnPath.deliver(ByteBuffer.wrap(reply))).isTrue();
                assertThat(received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("IPv%d reply", version).isEqualTo(reply);
            }
            session.close();
            c.close().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void refusalsCarryStatusAndProxyStatus() throws Exception {
        for (String token : new String[] {null, "wrong-token"}) {
            try (var client = MasqueClient.connectHttp2(endpoint(token))) {
                assertThatThrownBy(() -> client.openUdp("127.0.0.1", udpEcho.getLocalPort()))
                        .isInstanceOfSatisfying(ProxyRefusedException.class, e -> {
                            assertThat(e.status()).isEqualTo(401);
                            assertThat(e.proxyError()).isEqualTo("http_request_denied");
                        });
                assertThatThrownBy(() -> client.openTcp("127.0.0.1", tcpEcho.getLocalPort()))
                        .isInstanceOfSatisfying(ProxyRefusedException.class, e -> {
                            assertThat(e.status()).isEqualTo(407);
                            assertThat(e.proxyError()).isEqualTo("http_request_denied");
                        });
                var ip = new ConnectIpClient(client.connection(), "localhost", token).open(ConnectIpScope.ANY, List.of(), null);
                assertThatThrownBy(() -> ip.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOfSatisfying(ProxyRefusedException.class, e -> {
                            assertThat(e.status()).isEqualTo(401);
                            assertThat(e.proxyError()).isEqualTo("http_request_denied");
                        });
            }
        }
        try (var client = MasqueClient.connectHttp2(endpoint(TOKEN))) {
            assertThatThrownBy(() -> client.openUdp("10.0.0.1", 53))
                    .isInstanceOfSatisfying(ProxyRefusedException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.proxyError()).isEqualTo("destination_ip_prohibited");
                    });
            assertThatThrownBy(() -> client.openTcp("192.168.1.1", 80))
                    .isInstanceOfSatisfying(ProxyRefusedException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.proxyStatus()).contains("192.168.1.1 is in 192.168.0.0/16");
                    });
        }
    }

    /** Records how a raw stream ended. */
    static final class Ending implements StreamListener {
        final CompletableFuture<Long> reset = new CompletableFuture<>();

        @Override public void onReset(MasqueStream stream, long errorCode) { reset.complete(errorCode); }
    }

    @Test
    void aMalformedCapsuleResetsTheStreamWithProtocolError() throws Exception {
        try (H2Client h2 = H2Client.create(trust())) {
            H2Connection c = h2.connect(server.localAddress(), "localhost").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Http3Headers request = new DefaultHttp3Headers().method("CONNECT").protocol("connect-udp").scheme("https")
                    .authority("localhost").path("/.well-known/masque/udp/127.0.0.1/" + udpEcho.getLocalPort() + "/")
                    .add("capsule-protocol", "?1").add("authorization", "Bearer " + TOKEN);
            var ending = new Ending();
            H2Stream stream = c.openStream(request, ending).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(stream.response().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).status().toString()).isEqualTo("200");
            // A DATAGRAM capsule (type 0x00) of length 0: no Context ID, which RFC 9298 §5 requires.
            stream.write(Unpooled.wrappedBuffer(new byte[] {0x00, 0x00}));
            assertThat(ending.reset.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
            c.close().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void aWrongPinFailsTheHandshakeWithTheReason() {
        try (H2Client h2 = H2Client.create(ServerTrust.PinnedKeys.of("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="))) {
            assertThatThrownBy(() -> h2.connect(server.localAddress(), "localhost").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .cause().isInstanceOf(H2Exception.class).hasMessageContaining("server certificate refused");
        }
    }

    @Test
    void aServerWithoutExtendedConnectIsReportedClearly() throws Exception {
        // A plain HTTP/2 server: TLS with ALPN h2, default SETTINGS (no SETTINGS_ENABLE_CONNECT_PROTOCOL).
        SslContext tls = SslContextBuilder.forServer(identity.key(), identity.chain())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "h2"))
                .build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel plain = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()),
                                    Http2FrameCodecBuilder.forServer().initialSettings(Http2Settings.defaultSettings()).build(),
                                    new Http2MultiplexHandler(new ChannelInitializer<>() {
                                        @Override
                                        protected void initChannel(Channel stream) {}
                                    }));
                        }
                    })
                    .bind(new InetSocketAddress(LOOPBACK, 0)).sync().channel();
            var address = (InetSocketAddress) plain.localAddress();
            assertThatThrownBy(() -> MasqueClient.connectHttp2(endpoint(address, TOKEN)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("did not enable extended CONNECT")
                    .hasMessageContaining("SETTINGS_ENABLE_CONNECT_PROTOCOL");

            try (H2Client h2 = H2Client.create(trust())) {
                H2Connection c = h2.connect(address, "localhost").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                Http3Headers request = new DefaultHttp3Headers().method("CONNECT").protocol("connect-ip").scheme("https")
                        .authority("localhost").path("/.well-known/masque/ip/*/*/");
                assertThatThrownBy(() -> c.openStream(request, null).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                        .cause().isInstanceOf(H2Exception.class)
                        .hasMessageContaining("SETTINGS_ENABLE_CONNECT_PROTOCOL=1")
                        .hasMessageContaining("connect-ip");
                c.close().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            plain.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    static byte[] echo(InetAddress src, InetAddress dst, int id, int ttl, int dataLength) {
        ByteBuffer b = ByteBuffer.allocate(65535);
        int n = new IcmpEcho(AddressPair.of(src, dst), true, id, 7, new byte[dataLength]).write(b, 0, ttl);
        return Arrays.copyOf(b.array(), n);
    }

    static byte[] reply(byte[] request) throws Exception {
        IcmpEcho e = IcmpEcho.parse(ByteBuffer.wrap(request), 0, request.length);
        ByteBuffer b = ByteBuffer.allocate(65535);
        int n = e.reply().write(b, 0, 60);
        return Arrays.copyOf(b.array(), n);
    }

    static int ttl(byte[] packet) {
        ByteBuffer b = ByteBuffer.wrap(packet);
        return IpPacket.version(b) == 4 ? Ipv4Header.ttl(b, 0) : Ipv6Header.hopLimit(b, 0);
    }
}
