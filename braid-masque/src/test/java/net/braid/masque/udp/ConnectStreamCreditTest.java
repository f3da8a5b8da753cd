package net.braid.masque.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.braid.config.IpPrefix;
import net.braid.masque.codec.UriTemplate;
import net.braid.masque.h3.Certificates;
import net.braid.masque.h3.H3Options;
import net.braid.masque.h3.H3Server;
import net.braid.masque.h3.ServerTrust;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CONNECT streams that end while the client is still sending must give the bytes they never read
 * back to the connection's flow-control credit (RFC 9000 §4.1), or after a few of them every
 * stream on the connection stalls: the failure braid forward's QUIC streams had (docs/forward.md §2). The
 * proxy passes: its relay resets a stream whose target went away (STOP_SENDING with RESET_STREAM).
 * The proxy's windows are small here (1 MiB for the connection, 256 KiB a stream), so six such
 * streams would use all of it.
 */
@Timeout(90)
class ConnectStreamCreditTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final String TOKEN = "credit-token";

    @Test
    void streamsEndedByTheirTargetReturnUnreadBytesToTheConnection() throws Exception {
        Certificates.Identity identity = Certificates.selfSigned(List.of("localhost"), Duration.ofDays(1));
        var handler = new MasqueProxyHandler(ProxyConfig.defaults(AccessTokens.of(Set.of(TOKEN)))
                .withPolicy(TargetPolicy.allowing(List.of(IpPrefix.parse("127.0.0.1/32")))));
        H3Options small = new H3Options(1500, 1024, 1024, Duration.ofSeconds(30), 1L << 20, 256L << 10, 256);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try (H3Server server = H3Server.bind(new InetSocketAddress(LOOPBACK, 0), identity, small, handler);
             ServerSocket rude = new ServerSocket(0, 50, LOOPBACK);
             ServerSocket polite = new ServerSocket(0, 50, LOOPBACK);
             ServerSocket echo = new ServerSocket(0, 50, LOOPBACK)) {
            threads.submit(() -> serve(rude, s -> { s.setSoLinger(true, 0); s.close(); }));          // reset at once
            threads.submit(() -> serve(polite, s -> { s.shutdownOutput(); Thread.sleep(200); s.close(); })); // FIN, never reads
            threads.submit(() -> serve(echo, ConnectStreamCreditTest::echo));
            var endpoint = new ProxyEndpoint(server.localAddress(), "localhost",
                    ServerTrust.PinnedKeys.of(Certificates.spkiSha256(identity.leaf())), TOKEN,
                    UriTemplate.parse(UriTemplate.CONNECT_UDP_DEFAULT_PATH), H3Options.defaults(), Duration.ofSeconds(5));
            try (MasqueClient client = MasqueClient.connect(endpoint)) {
                byte[] chunk = new byte[256 << 10];
                for (int i = 0; i < 8; i++) {
                    int port = (i % 2 == 0 ? rude : polite).getLocalPort();
                    try (TcpTunnel t = client.openTcp("127.0.0.1", port)) {
                        Future<?> push = threads.submit(() -> {
                            t.output().write(chunk);
                            t.output().flush();
                            return null;
                        });
                        try {
                            push.get(5, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            push.cancel(true); // the target is gone: a refused or stuck write is expected
                        }
                        Thread.sleep(100);
                    } catch (java.io.IOException e) {
                        // the target may be gone before the tunnel opens
                    }
                }
                byte[] data = new byte[2 << 20];
                new Random(7).nextBytes(data);
                try (TcpTunnel t = client.openTcp("127.0.0.1", echo.getLocalPort())) {
                    Future<byte[]> back = threads.submit(() -> t.input().readNBytes(data.length));
                    Future<?> push = threads.submit(() -> {
                        t.output().write(data);
                        t.output().flush();
                        return null;
                    });
                    push.get(30, TimeUnit.SECONDS);
                    assertThat(Arrays.equals(back.get(30, TimeUnit.SECONDS), data)).as("2 MiB echoed after the abandoned streams").isTrue();
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private interface Session {
        void run(Socket s) throws Exception;
    }

    private static Void serve(ServerSocket server, Session session) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> {
                    try {
                        session.run(s);
                    } catch (Exception e) {
                        // a test peer's end
                    }
                });
            } catch (Exception e) {
                return null;
            }
        }
        return null;
    }

    private static void echo(Socket s) throws Exception {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            in.transferTo(out);
        }
    }
}
