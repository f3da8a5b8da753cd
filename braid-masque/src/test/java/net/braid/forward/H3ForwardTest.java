package net.braid.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import net.braid.config.IpPrefix;
import net.braid.masque.h3.Certificates;
import net.braid.masque.h3.H3Options;
import net.braid.masque.h3.H3Server;
import net.braid.masque.h3.ServerTrust;
import net.braid.masque.udp.AccessTokens;
import net.braid.masque.udp.MasqueProxyHandler;
import net.braid.masque.udp.ProxyConfig;
import net.braid.masque.udp.TargetPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * tcp → h3 → (braid's MASQUE proxy handler) → tcp, in process on loopback: a {@link Forwarder}
 * whose far end is an HTTP/3 CONNECT through the same proxy handler {@code braid proxy} runs.
 */
class H3ForwardTest {
    static final String TOKEN = "s3cret";
    /** Our own: ForwardPairingTest shuts its executor down after its tests. */
    static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();
    static Certificates.Identity identity;
    static MasqueProxyHandler handler;
    static H3Server proxy;

    @BeforeAll
    static void startProxy() throws Exception {
        identity = Certificates.selfSigned(List.of("localhost"), Duration.ofDays(1));
        handler = new MasqueProxyHandler(ProxyConfig.defaults(AccessTokens.of(Set.of(TOKEN)))
                .withPolicy(TargetPolicy.allowing(List.of(IpPrefix.parse("127.0.0.0/8")))));
        proxy = H3Server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), identity, H3Options.defaults(), handler);
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
        THREADS.shutdownNow();
    }

    static Forwarder forwarder(int targetPort, String token) throws Exception {
        ForwardUrl to = ForwardUrl.parse("h3://127.0.0.1:" + proxy.localAddress().getPort() + "/127.0.0.1:" + targetPort);
        ForwardOptions options = ForwardOptions.defaults().withToken(token)
                .withTrust(ServerTrust.PinnedKeys.of(Certificates.spkiSha256(identity.leaf())));
        return Forwarder.start(ForwardUrl.parse("tcp://127.0.0.1:0"), to, options);
    }

    @Test
    void moves20MegabytesEachWayIntact() throws Exception {
        long size = 20L << 20;
        long before = handler.counters().snapshot().tcpSessions();
        try (var target = new TargetServer(size); var forward = forwarder(target.port(), TOKEN)) {
            exchange(forward.listening().socketAddress(), size, size);
        }
        assertThat(handler.counters().snapshot().tcpSessions() - before).as("CONNECTs the proxy accepted").isEqualTo(1);
    }

    /**
     * The client's FIN reaches the proxy early while the target still has megabytes to send: the
     * proxy must carry the rest. It once reset the stream (7 of 40 runs) by re-enabling reads on a
     * target socket epoll had already dropped.
     */
    @Test
    void clientThatShutItsOutputStillReceivesTheRest() throws Exception {
        long down = 2L << 20;
        try (var target = new TargetServer(down); var forward = forwarder(target.port(), TOKEN);
             var s = ForwardPairingTest.connect(forward.listening().socketAddress())) {
            byte[] sent = TargetServer.writeSeeded(s.getOutputStream(), 1000, 42);
            s.shutdownOutput();
            // The target answers its digest of our bytes only after our FIN reached it.
            readAndCheck(s.getInputStream(), down, sent);
        }
    }

    @Test
    void wrongTokenIsRefusedAndLoggedWithTheProxyStatus() throws Exception {
        var log = new Recorder();
        Logger tcpListener = Logger.getLogger(TcpListener.class.getName());
        tcpListener.addHandler(log);
        long refusedBefore = handler.counters().snapshot().refused();
        try (var target = new TargetServer(1000); var forward = forwarder(target.port(), "wrong")) {
            ForwardPairingTest.assertClosedWithoutData(forward.listening().socketAddress());
            ForwardPairingTest.awaitNoOpenConnections(forward);
        } finally {
            tcpListener.removeHandler(log);
        }
        assertThat(handler.counters().snapshot().refused() - refusedBefore).as("requests the proxy refused").isEqualTo(1);
        assertThat(log.messages()).anySatisfy(m -> assertThat(m)
                .contains("refused CONNECT to 127.0.0.1:", "with 407", "error=http_request_denied"));
    }

    @Test
    void unreachableTargetClosesTheClientConnection() throws Exception {
        int nobody;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = probe.getLocalPort();
        }
        try (var forward = forwarder(nobody, TOKEN)) {
            ForwardPairingTest.assertClosedWithoutData(forward.listening().socketAddress());
            ForwardPairingTest.awaitNoOpenConnections(forward);
        }
    }

    @Test
    void hundredConcurrentConnectionsComplete() throws Exception {
        long size = 100 * 1024;
        try (var target = new TargetServer(size); var forward = forwarder(target.port(), TOKEN)) {
            List<Future<?>> clients = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                clients.add(THREADS.submit(() -> {
                    exchange(forward.listening().socketAddress(), size, size);
                    return null;
                }));
            }
            for (Future<?> c : clients) c.get(120, TimeUnit.SECONDS);
        }
    }

    /** Sends {@code up} bytes and ends output while reading {@code down} bytes and the target's digest. */
    static void exchange(InetSocketAddress entry, long up, long down) throws Exception {
        try (var s = ForwardPairingTest.connect(entry)) {
            Future<byte[]> sent = THREADS.submit(() -> {
                byte[] digest = TargetServer.writeSeeded(s.getOutputStream(), up, 1234 + up);
                s.shutdownOutput();
                return digest;
            });
            byte[] targetSaw = readAndCheck(s.getInputStream(), down, null);
            assertThat(HexFormat.of().formatHex(targetSaw)).as("SHA-256 of the bytes the target received")
                    .isEqualTo(HexFormat.of().formatHex(sent.get(30, TimeUnit.SECONDS)));
        }
    }

    static byte[] readAndCheck(InputStream in, long down, byte[] expectedAtTarget) throws IOException {
        return ForwardPairingTest.readAndCheck(in, down, expectedAtTarget);
    }

    /** Collects formatted log messages. */
    static final class Recorder extends Handler {
        private final List<String> messages = new ArrayList<>();

        @Override
        public synchronized void publish(LogRecord record) {
            String text = record.getMessage();
            Object[] params = record.getParameters();
            if (params != null) text = java.text.MessageFormat.format(text, params);
            messages.add(text);
        }

        synchronized List<String> messages() {
            return List.copyOf(messages);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
