package net.braid.masque.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.Http3Headers;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.braid.config.IpPrefix;
import net.braid.masque.codec.CapsuleError;
import net.braid.masque.codec.UriTemplate;
import net.braid.masque.h3.Certificates;
import net.braid.masque.h3.H3Client;
import net.braid.masque.h3.H3Connection;
import net.braid.masque.h3.H3Options;
import net.braid.masque.h3.H3Server;
import net.braid.masque.h3.H3Stream;
import net.braid.masque.h3.MasqueStream;
import net.braid.masque.h3.ServerTrust;
import net.braid.masque.h3.StreamListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Client and proxy in process over loopback: CONNECT-UDP and CONNECT to echo servers on 127.0.0.1. */
class MasqueProxyTest {
    static final String TOKEN = "s3cret-Token_1";
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    static Certificates.Identity identity;
    static MasqueProxyHandler proxy;
    static H3Server server;
    static DatagramSocket udpEcho;
    static final AtomicLong udpEchoed = new AtomicLong();
    static ServerSocket tcpEcho;
    static final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    /** Knows one name only, so no test ever asks a real DNS server. */
    static final HostResolver TEST_DNS = host -> host.equals("echo.test")
            ? CompletableFuture.completedFuture(List.of(LOOPBACK))
            : CompletableFuture.failedFuture(new UnknownHostException(host));

    static ProxyConfig config(TargetPolicy policy) {
        return ProxyConfig.defaults(AccessTokens.of(Set.of(TOKEN, "other-token")))
                .withPolicy(policy)
                .withUdpIdleTimeout(Duration.ofSeconds(30));
    }

    @BeforeAll
    static void start() throws Exception {
        identity = Certificates.selfSigned(List.of("localhost"), Duration.ofDays(1));
        var cfg = config(TargetPolicy.allowing(List.of(IpPrefix.parse("127.0.0.1/32"))));
        proxy = new MasqueProxyHandler(new ProxyConfig(cfg.tokens(), cfg.udpTemplate(), cfg.policy(), TEST_DNS,
                cfg.dnsTimeout(), cfg.connectTimeout(), cfg.udpIdleTimeout()));
        server = H3Server.bind(new InetSocketAddress(LOOPBACK, 0), identity, H3Options.defaults(), proxy);

        udpEcho = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        threads.submit(() -> {
            byte[] buf = new byte[65535];
            while (!udpEcho.isClosed()) {
                var packet = new DatagramPacket(buf, buf.length);
                try {
                    udpEcho.receive(packet);
                    udpEchoed.incrementAndGet();
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
        if (udpEcho != null) udpEcho.close();
        if (tcpEcho != null) tcpEcho.close();
        threads.shutdownNow();
    }

    static ProxyEndpoint endpoint(String token) {
        ServerTrust trust = ServerTrust.PinnedKeys.of(Certificates.spkiSha256(identity.leaf()));
        return new ProxyEndpoint(server.localAddress(), "localhost", trust, token,
                UriTemplate.parse(UriTemplate.CONNECT_UDP_DEFAULT_PATH), H3Options.defaults(), TIMEOUT);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static Set<String> exchange(UdpTunnel tunnel, String prefix, int count) throws Exception {
        Set<String> got = new HashSet<>();
        for (int i = 0; i < count; i++) {
            assertThat(tunnel.send(ByteBuffer.wrap(bytes(prefix + i)))).isEqualTo(net.braid.masque.h3.SendOutcome.SENT);
        }
        for (int i = 0; i < count; i++) {
            byte[] reply = tunnel.receive(TIMEOUT);
            assertThat(reply).as("reply %d of %d on %s", i, count, prefix).isNotNull();
            got.add(new String(reply, StandardCharsets.US_ASCII));
        }
        return got;
    }

    static Set<String> expected(String prefix, int count) {
        Set<String> s = new HashSet<>();
        for (int i = 0; i < count; i++) s.add(prefix + i);
        return s;
    }

    @Test
    void udpRoundTripsInQuicDatagrams() throws Exception {
        long before = proxy.counters().snapshot().datagramsFromTargets();
        try (var client = MasqueClient.connect(endpoint(TOKEN));
             var tunnel = client.openUdp("127.0.0.1", udpEcho.getLocalPort())) {
            assertThat(tunnel.usesQuicDatagrams()).isTrue();

            assertThat(exchange(tunnel, "dgram-", 20)).isEqualTo(expected("dgram-", 20));

            byte[] big = new byte[1400];
            new Random(1).nextBytes(big);
            tunnel.send(ByteBuffer.wrap(big));
            assertThat(tunnel.receive(TIMEOUT)).isEqualTo(big);
            assertThat(((H3Connection) client.connection()).counters().received()).isEqualTo(21);
            // The proxy counts a datagram once the send returned, which can be after the client has it.
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (proxy.counters().snapshot().datagramsFromTargets() - before < 21 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(proxy.counters().snapshot().datagramsFromTargets() - before).isEqualTo(21);
        }
    }

    @Test
    void withoutQuicDatagramsPayloadsTravelAsDatagramCapsules() throws Exception {
        var endpoint = endpoint(TOKEN).withOptions(H3Options.defaults().withoutQuicDatagrams());
        try (var client = MasqueClient.connect(endpoint);
             var tunnel = client.openUdp("echo.test", udpEcho.getLocalPort())) {
            assertThat(tunnel.usesQuicDatagrams()).isFalse();

            assertThat(exchange(tunnel, "capsule-", 20)).isEqualTo(expected("capsule-", 20));

            byte[] big = new byte[1400];
            new Random(2).nextBytes(big);
            tunnel.send(ByteBuffer.wrap(big));
            assertThat(tunnel.receive(TIMEOUT)).isEqualTo(big);
            // Nothing went as a QUIC DATAGRAM either way.
            assertThat(((H3Connection) client.connection()).counters().sent()).isZero();
            assertThat(((H3Connection) client.connection()).counters().received()).isZero();
        }
    }

    @Test
    void tenSessionsShareOneConnectionAndKeepTheirOwnDatagrams() throws Exception {
        try (var client = MasqueClient.connect(endpoint(TOKEN))) {
            List<CompletableFuture<UdpTunnel>> opening = new ArrayList<>();
            for (int i = 0; i < 10; i++) opening.add(client.openUdpAsync("127.0.0.1", udpEcho.getLocalPort(), null));
            List<UdpTunnel> tunnels = new ArrayList<>();
            for (var f : opening) tunnels.add(f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            assertThat(tunnels.stream().map(t -> t.stream().streamId()).distinct()).hasSize(10);
            assertThat(tunnels).allMatch(t -> t.stream().connection() == client.connection());

            List<Future<Set<String>>> results = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                UdpTunnel t = tunnels.get(i);
                String prefix = "session" + i + "-";
                results.add(threads.submit(() -> exchange(t, prefix, 10)));
            }
            for (int i = 0; i < 10; i++) {
                assertThat(results.get(i).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(expected("session" + i + "-", 10));
            }
            tunnels.forEach(UdpTunnel::close);
        }
    }

    @Test
    void tcpConnectCarriesMegabytesBothWaysWithHalfClose() throws Exception {
        byte[] data = new byte[4 << 20];
        new Random(3).nextBytes(data);
        try (var client = MasqueClient.connect(endpoint(TOKEN));
             var tunnel = client.openTcp("127.0.0.1", tcpEcho.getLocalPort())) {
            Future<byte[]> received = threads.submit(() -> {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[64 * 1024];
                long total = 0;
                var tail = new java.io.ByteArrayOutputStream();
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
            out.close(); // FIN; the echo server answers with its trailer, then its own FIN

            assertThat(received.get(20, TimeUnit.SECONDS)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        }
    }

    @Test
    void unauthenticatedRequestsAreRefusedWith401Or407AndProxyStatus() throws Exception {
        for (String token : new String[] {null, "wrong-token"}) {
            try (var client = MasqueClient.connect(endpoint(token))) {
                assertThatThrownBy(() -> client.openUdp("127.0.0.1", udpEcho.getLocalPort()))
                        .isInstanceOfSatisfying(ProxyRefusedException.class, e -> {
                            assertThat(e.status()).isEqualTo(401);
                            assertThat(e.proxyError()).isEqualTo("http_request_denied");
                            assertThat(e.getMessage()).contains("401").contains("braid; error=http_request_denied");
                        });
                assertThatThrownBy(() -> client.openTcp("127.0.0.1", tcpEcho.getLocalPort()))
                        .isInstanceOfSatisfying(ProxyRefusedException.class, e -> {
                            assertThat(e.status()).isEqualTo(407);
                            assertThat(e.proxyError()).isEqualTo("http_request_denied");
                        });
            }
        }
    }

    @Test
    void forbiddenTargetsAreRefusedBeforeAnyPacketLeaves() throws Exception {
        long echoedBefore = udpEchoed.get();
        try (var client = MasqueClient.connect(endpoint(TOKEN))) {
            // 127.0.0.1/32 is allow-listed, the rest of the loopback and private ranges are not.
            for (String host : new String[] {"10.0.0.1", "127.0.0.2", "192.168.1.1", "169.254.0.1", "::1", "fe80::1", "fd00::1"}) {
                assertThatThrownBy(() -> client.openUdp(host, 53))
                        .as(host).isInstanceOfSatisfying(ProxyRefusedException.class, e -> {
                            assertThat(e.status()).isEqualTo(403);
                            assertThat(e.proxyError()).isEqualTo("destination_ip_prohibited");
                        });
            }
            assertThatThrownBy(() -> client.openTcp("10.0.0.1", 80))
                    .isInstanceOfSatisfying(ProxyRefusedException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.proxyStatus()).contains("10.0.0.1 is in 10.0.0.0/8");
                    });
        }
        // And with the default policy, 127.0.0.1 itself is refused.
        var strict = new MasqueProxyHandler(new ProxyConfig(AccessTokens.of(Set.of(TOKEN)),
                UriTemplate.parse(UriTemplate.CONNECT_UDP_DEFAULT_PATH), TargetPolicy.defaults(), TEST_DNS,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5)));
        try (var strictServer = H3Server.bind(new InetSocketAddress(LOOPBACK, 0), identity, H3Options.defaults(), strict)) {
            var ep = endpoint(TOKEN);
            ep = new ProxyEndpoint(strictServer.localAddress(), ep.serverName(), ep.trust(), TOKEN, ep.udpTemplate(), ep.options(), TIMEOUT);
            try (var client = MasqueClient.connect(ep)) {
                for (String host : new String[] {"127.0.0.1", "echo.test"}) {
                    assertThatThrownBy(() -> client.openUdp(host, udpEcho.getLocalPort()))
                            .isInstanceOfSatisfying(ProxyRefusedException.class, e -> {
                                assertThat(e.status()).isEqualTo(403);
                                assertThat(e.proxyStatus()).contains("error=destination_ip_prohibited").contains("127.0.0.0/8");
                            });
                }
                assertThatThrownBy(() -> client.openTcp("127.0.0.1", tcpEcho.getLocalPort()))
                        .isInstanceOfSatisfying(ProxyRefusedException.class, e -> assertThat(e.status()).isEqualTo(403));
            }
            assertThat(strict.counters().snapshot().udpSessions()).isZero();
            assertThat(strict.counters().snapshot().refused()).isEqualTo(3);
        }
        assertThat(udpEchoed.get()).isEqualTo(echoedBefore);
    }

    @Test
    void unreachableTargetsAndBadRequestsAreReportedWithTheirProxyStatus() throws Exception {
        int closedPort;
        try (var s = new ServerSocket(0, 1, LOOPBACK)) {
            closedPort = s.getLocalPort();
        }
        try (var client = MasqueClient.connect(endpoint(TOKEN))) {
            assertThatThrownBy(() -> client.openTcp("127.0.0.1", closedPort))
                    .isInstanceOfSatisfying(ProxyRefusedException.class, e -> {
                        assertThat(e.status()).isEqualTo(502);
                        assertThat(e.proxyError()).isEqualTo("connection_refused");
                    });
            assertThatThrownBy(() -> client.openUdp("no-such-host.test", 53))
                    .isInstanceOfSatisfying(ProxyRefusedException.class, e -> {
                        assertThat(e.status()).isEqualTo(502);
                        assertThat(e.proxyError()).isEqualTo("dns_error");
                    });

            // A path outside the template, and a template match with port 0.
            for (String path : new String[] {"/elsewhere/127.0.0.1/53/", "/.well-known/masque/udp/127.0.0.1/0/"}) {
                H3Stream stream = ((H3Connection) client.connection()).openStream(connectUdp(path), StreamListener.NONE)
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                Http3Headers response = stream.response().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(response.status().toString()).as(path).isEqualTo("400");
                assertThat(response.get(ProxyStatus.FIELD).toString()).contains("error=http_request_error");
            }
        }
    }

    static Http3Headers connectUdp(String path) {
        return new DefaultHttp3Headers().method("CONNECT").protocol("connect-udp").scheme("https")
                .authority("localhost:" + server.localAddress().getPort()).path(path)
                .add("capsule-protocol", "?1").add("authorization", "Bearer " + TOKEN);
    }

    /** Records how a raw stream ended. */
    static final class Ending implements StreamListener {
        final CompletableFuture<Long> reset = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        @Override public void onReset(MasqueStream stream, long errorCode) { reset.complete(errorCode); }
        @Override public void onClosed(MasqueStream stream) { closed.complete(null); }
    }

    @Test
    void malformedCapsulesAbortTheStreamWithH3DatagramErrorAndAreCounted() throws Exception {
        byte[][] malformed = {
                {0x01, 0x01, 0x00},       // ADDRESS_ASSIGN whose value ends inside its first entry
                {0x00, 0x00},             // DATAGRAM capsule without a Context ID (RFC 9298 §5)
        };
        H3Options options = H3Options.defaults();
        try (H3Client h3 = H3Client.create(endpoint(TOKEN).trust(), options)) {
            H3Connection connection = h3.connect(server.localAddress(), "localhost").get(5, TimeUnit.SECONDS);
            for (byte[] bytes : malformed) {
                long before = proxy.counters().snapshot().malformedCapsules();
                var ending = new Ending();
                String path = "/.well-known/masque/udp/127.0.0.1/" + udpEcho.getLocalPort() + "/";
                H3Stream stream = connection.openStream(connectUdp(path), ending).get(5, TimeUnit.SECONDS);
                assertThat(stream.response().get(5, TimeUnit.SECONDS).status().toString()).isEqualTo("200");

                ByteBuf capsules = Unpooled.wrappedBuffer(bytes);
                stream.write(capsules);

                assertThat(ending.reset.get(5, TimeUnit.SECONDS)).isEqualTo(CapsuleError.H3_DATAGRAM_ERROR);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (proxy.counters().snapshot().malformedCapsules() == before && System.nanoTime() < deadline) Thread.sleep(5);
                assertThat(proxy.counters().snapshot().malformedCapsules()).isEqualTo(before + 1);
            }
            connection.close();
        }
    }

    @Test
    void anIdleUdpSessionIsClosedByTheProxy() throws Exception {
        var cfg = config(TargetPolicy.allowing(List.of(IpPrefix.parse("127.0.0.1/32")))).withUdpIdleTimeout(Duration.ofMillis(300));
        var idleProxy = new MasqueProxyHandler(cfg);
        try (var idleServer = H3Server.bind(new InetSocketAddress(LOOPBACK, 0), identity, H3Options.defaults(), idleProxy)) {
            var ep = endpoint(TOKEN);
            ep = new ProxyEndpoint(idleServer.localAddress(), ep.serverName(), ep.trust(), TOKEN, ep.udpTemplate(), ep.options(), TIMEOUT);
            try (var client = MasqueClient.connect(ep);
                 var tunnel = client.openUdp("127.0.0.1", udpEcho.getLocalPort())) {
                assertThat(exchange(tunnel, "before-idle-", 3)).hasSize(3);
                tunnel.closeFuture().get(5, TimeUnit.SECONDS);
                assertThatThrownBy(() -> tunnel.receive(TIMEOUT)).isInstanceOf(IOException.class)
                        .hasMessageContaining("the proxy ended the session");
                assertThat(idleProxy.counters().snapshot().idleClosed()).isEqualTo(1);
            }
        }
    }
}
