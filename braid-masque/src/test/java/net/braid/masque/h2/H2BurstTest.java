package net.braid.masque.h2;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.braid.config.IpPrefix;
import net.braid.masque.codec.AssignedAddress;
import net.braid.masque.codec.ConnectIpScope;
import net.braid.masque.h3.Certificates;
import net.braid.masque.h3.ServerTrust;
import net.braid.masque.ip.ConnectIpClient;
import net.braid.masque.ip.ConnectIpConfig;
import net.braid.masque.ip.ConnectIpHandler;
import net.braid.masque.ip.IpSession;
import net.braid.masque.udp.AccessTokens;
import net.braid.masque.udp.MasqueProxyHandler;
import net.braid.masque.udp.ProxyConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bursts of IP packets in DATAGRAM capsules over one HTTP/2 CONNECT-IP stream while the proxy
 * takes none: its egress holds the proxy's event loop until the burst is over. What the client
 * accepts must arrive whole once the proxy reads again, and only packets beyond the stream's send
 * buffer (plus the peer's stream window, which the client may fill) may be refused — each counted.
 */
class H2BurstTest {
    private static final String TOKEN = "burst-token";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final InetAddress TARGET = InetAddress.ofLiteral("198.18.0.5");
    /** A full-size packet on a 1400-byte tunnel MTU. */
    private static final int PACKET = 1400;

    private final CountDownLatch egressOpen = new CountDownLatch(1);
    private final AtomicInteger egressed = new AtomicInteger();
    private Certificates.Identity identity;
    private H2Server server;
    private H2Client client;
    private H2Connection connection;
    private IpSession session;
    private byte[] packet;

    @BeforeEach
    void start() throws Exception {
        identity = Certificates.selfSigned(List.of("localhost"), Duration.ofDays(1));
        var tokens = AccessTokens.of(Set.of(TOKEN));
        var ipProxy = new ConnectIpHandler(ConnectIpConfig.defaults(tokens, List.of(IpPrefix.parse("198.19.0.0/28")))
                .withReachable(List.of(IpPrefix.parse("198.18.0.0/16")), List.of()).withMtu(PACKET), p -> {
                    try {
                        // Runs on the proxy's event loop: while closed, the proxy reads nothing more.
                        egressOpen.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    egressed.incrementAndGet();
                    return true;
                });
        server = H2Server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), identity,
                new MasqueProxyHandler(ProxyConfig.defaults(tokens), ipProxy));
        client = H2Client.create(ServerTrust.PinnedKeys.of(Certificates.spkiSha256(identity.leaf())));
        connection = client.connect(server.localAddress(), "localhost").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        session = new ConnectIpClient(connection, "localhost:" + server.localAddress().getPort(), TOKEN)
                .open(ConnectIpScope.ANY, List.of(), null).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        List<AssignedAddress> addresses = session.firstAssignment().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (session.routes().isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(session.routes()).isNotEmpty();
        packet = H2MasqueTest.echo(addresses.getFirst().address(), TARGET, 9, 64, PACKET - 28);
        assertThat(packet).hasSize(PACKET);
    }

    @AfterEach
    void stop() throws Exception {
        egressOpen.countDown();
        if (session != null) session.close();
        if (connection != null) connection.close().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (client != null) client.close();
        if (server != null) server.close();
    }

    @Test
    void aBurstWithinTheSendBufferArrivesWholeFromAStalledProxy() throws Exception {
        int n = H2Transport.STREAM_SEND_BUFFER / 2 / PACKET; // 374 packets: many TUN read batches
        for (int i = 0; i < n; i++) assertThat(session.send(ByteBuffer.wrap(packet))).as("packet %d accepted", i).isTrue();
        assertThat(session.counters().refused()).isZero();

        egressOpen.countDown();
        assertThat(arrived(n)).as("packets at the egress").isEqualTo(n);
    }

    @Test
    void beyondTheSendBufferPacketsAreRefusedAndCountedAndTheRestArrives() throws Exception {
        // More than the peer's stream window and this stream's send buffer together can hold.
        int n = 4 * (H2Transport.STREAM_WINDOW + H2Transport.STREAM_SEND_BUFFER) / PACKET;
        int accepted = 0;
        for (int i = 0; i < n; i++) if (session.send(ByteBuffer.wrap(packet))) accepted++;
        IpSession.Counters c = session.counters();
        assertThat(c.sent()).isEqualTo(accepted);
        assertThat(c.refused()).isEqualTo(n - accepted).isPositive();
        assertThat(accepted).as("accepted before refusing").isGreaterThanOrEqualTo(H2Transport.STREAM_SEND_BUFFER / (PACKET + 16));

        egressOpen.countDown();
        assertThat(arrived(accepted)).as("every accepted packet at the egress").isEqualTo(accepted);
    }

    private int arrived(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (egressed.get() < expected && System.nanoTime() < deadline) Thread.sleep(10);
        Thread.sleep(100); // and nothing beyond
        return egressed.get();
    }
}
