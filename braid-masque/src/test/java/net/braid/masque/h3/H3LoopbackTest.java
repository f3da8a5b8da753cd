package net.braid.masque.h3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.Http3Headers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client and server over loopback UDP, in process: handshake, extended CONNECT, DATA and datagrams. */
class H3LoopbackTest {
    static final String ECHO_PATH = "/.well-known/masque/udp/198.18.0.2/443/";
    static final String SINK_PATH = "/.well-known/masque/udp/198.18.0.3/9/";
    static final long TIMEOUT_MS = 5_000;

    static Certificates.Identity identity;
    static H3Server server;
    static final AtomicLong sinkDatagrams = new AtomicLong();
    static final Queue<H3Connection> serverConnections = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void startServer() throws Exception {
        identity = Certificates.selfSigned(List.of("localhost", "127.0.0.1"), Duration.ofDays(1));
        server = H3Server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), identity,
                H3Options.defaults().withDatagramQueues(8192, 1024), H3LoopbackTest::serve, serverConnections::add);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    /** A stand-in proxy: echoes stream bytes and datagrams of {@link #ECHO_PATH}, counts those of {@link #SINK_PATH}. */
    static StreamListener serve(RequestHead request, MasqueStream stream) {
        boolean connectUdp = request.isExtendedConnect() && "connect-udp".equals(request.protocol());
        if (connectUdp && ECHO_PATH.equals(request.path())) {
            stream.respond(200, Map.of("capsule-protocol", "?1"));
            return new StreamListener() {
                @Override public void onData(MasqueStream s, ByteBuf data) { s.write(data.retain()); }
                @Override public void onDatagram(MasqueStream s, ByteBuf payload) { ((H3Stream) s).sendDatagram(payload.retain()); }
            };
        }
        if (connectUdp && SINK_PATH.equals(request.path())) {
            stream.respond(200, Map.of("capsule-protocol", "?1"));
            return new StreamListener() {
                @Override public void onDatagram(MasqueStream s, ByteBuf payload) { sinkDatagrams.incrementAndGet(); }
            };
        }
        stream.respond(404, Map.of("proxy-status", "braid; error=http_request_error"));
        stream.finish();
        return StreamListener.NONE;
    }

    static H3Client pinnedClient(String pin) {
        return H3Client.create(ServerTrust.PinnedKeys.of(pin), H3Options.defaults());
    }

    static String pin() {
        return Certificates.spkiSha256(identity.leaf());
    }

    static Http3Headers connectUdp(String path) {
        return new DefaultHttp3Headers().method("CONNECT").protocol("connect-udp").scheme("https")
                .authority("localhost:" + server.localAddress().getPort()).path(path).add("capsule-protocol", "?1");
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /** Collects what one stream receives, copied out of Netty's buffers. */
    static final class Recorder implements StreamListener {
        final LinkedBlockingQueue<byte[]> data = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<byte[]> datagrams = new LinkedBlockingQueue<>();

        @Override public void onData(MasqueStream stream, ByteBuf bytes) { data.add(ByteBufUtil.getBytes(bytes)); }
        @Override public void onDatagram(MasqueStream stream, ByteBuf payload) { datagrams.add(ByteBufUtil.getBytes(payload)); }

        byte[] nextDatagram() throws InterruptedException {
            return datagrams.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void handshakeWithPinnedKeyNegotiatesH3AndBothSettings() throws Exception {
        try (H3Client client = pinnedClient(pin())) {
            var negotiatedWhenConnected = new AtomicReference<Boolean>();
            var settingsWhenConnected = new AtomicReference<Boolean>();
            H3Connection connection = await(client.connect(server.localAddress(), "localhost").whenComplete((c, e) -> {
                if (c != null) {
                    settingsWhenConnected.set(c.peerSettings().isDone());
                    negotiatedWhenConnected.set(c.datagramsNegotiated());
                    if (!c.peerSettings().isDone()) {
                        // Before the peer's SETTINGS no datagram may leave (RFC 9297 §2.1.1).
                        assertThat(c.datagrams().send(0, Unpooled.wrappedBuffer(new byte[] {1})))
                                .isEqualTo(SendOutcome.NOT_NEGOTIATED);
                    }
                }
            }));
            assertThat(negotiatedWhenConnected.get()).isEqualTo(settingsWhenConnected.get());

            PeerSettings settings = await(connection.peerSettings());

            assertThat(settings.extendedConnect()).isTrue();
            assertThat(settings.h3Datagram()).isTrue();
            assertThat(connection.datagramsNegotiated()).isTrue();
            assertThat(connection.quic().sslEngine().getApplicationProtocol()).isEqualTo("h3");
            H3Connection serverSide = serverConnections.stream()
                    .filter(c -> c.remoteAddress() != null && c.quic().isActive()).findAny().orElseThrow();
            PeerSettings clientSettingsSeenByServer = await(serverSide.peerSettings());
            assertThat(clientSettingsSeenByServer.extendedConnect()).isTrue();
            assertThat(clientSettingsSeenByServer.h3Datagram()).isTrue();
            connection.close();
            await(connection.closeFuture());
        }
    }

    @Test
    void wrongPinIsRefusedWithAClearError() {
        String wrongPin = Certificates.spkiSha256(identity.leaf().getPublicKey()).replace('A', 'B').replace('a', 'b');
        try (H3Client client = pinnedClient(wrongPin.equals(pin()) ? "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" : wrongPin)) {
            assertThatThrownBy(() -> await(client.connect(server.localAddress(), "localhost")))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(H3Exception.class)
                    .hasMessageContaining("handshake with localhost")
                    .hasMessageContaining("matches no pinned key");
        }
    }

    @Test
    void caTrustFromAPemFileChecksTheServerName(@TempDir Path dir) throws Exception {
        Path caPem = dir.resolve("ca.pem");
        Certificates.write(identity, caPem, dir.resolve("key.pem"));
        var trust = ServerTrust.CertificateAuthorities.fromPem(caPem);
        try (H3Client client = H3Client.create(trust, H3Options.defaults())) {
            H3Connection good = await(client.connect(server.localAddress(), "localhost"));
            assertThat(await(good.peerSettings()).extendedConnect()).isTrue();
            good.close();

            assertThatThrownBy(() -> await(client.connect(server.localAddress(), "other.example")))
                    .cause().isInstanceOf(H3Exception.class)
                    .hasMessageContaining("other.example");
        }
    }

    @Test
    void extendedConnectIsAnsweredThenStreamBytesAndDatagramsEchoPerStream() throws Exception {
        try (H3Client client = pinnedClient(pin())) {
            H3Connection connection = await(client.connect(server.localAddress(), "localhost"));
            var first = new Recorder();
            var second = new Recorder();
            // openStream itself waits for the peer's SETTINGS before sending the extended CONNECT.
            H3Stream one = await(connection.openStream(connectUdp(ECHO_PATH), first));
            H3Stream two = await(connection.openStream(connectUdp(ECHO_PATH), second));

            Http3Headers response = await(one.response());
            assertThat(response.status().toString()).isEqualTo("200");
            assertThat(response.get("capsule-protocol").toString()).isEqualTo("?1");
            assertThat(await(two.response()).status().toString()).isEqualTo("200");
            assertThat(one.quarterStreamId()).isNotEqualTo(two.quarterStreamId());

            one.write(Unpooled.copiedBuffer("capsule bytes", StandardCharsets.US_ASCII));
            assertThat(new String(first.data.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS), StandardCharsets.US_ASCII))
                    .isEqualTo("capsule bytes");

            for (int i = 0; i < 5; i++) {
                assertThat(one.sendDatagram(Unpooled.copiedBuffer("one-" + i, StandardCharsets.US_ASCII))).isEqualTo(SendOutcome.SENT);
                assertThat(two.sendDatagram(Unpooled.copiedBuffer("two-" + i, StandardCharsets.US_ASCII))).isEqualTo(SendOutcome.SENT);
            }
            var gotOne = new java.util.TreeSet<String>();
            var gotTwo = new java.util.TreeSet<String>();
            for (int i = 0; i < 5; i++) {
                gotOne.add(new String(first.nextDatagram(), StandardCharsets.US_ASCII));
                gotTwo.add(new String(second.nextDatagram(), StandardCharsets.US_ASCII));
            }
            assertThat(gotOne).containsExactly("one-0", "one-1", "one-2", "one-3", "one-4");
            assertThat(gotTwo).containsExactly("two-0", "two-1", "two-2", "two-3", "two-4");
            assertThat(connection.counters().received()).isEqualTo(10);
            assertThat(connection.counters().droppedNoStream()).isZero();
            connection.close();
        }
    }

    @Test
    void a1400ByteDatagramIsNotCappedAt1156() throws Exception {
        try (H3Client client = pinnedClient(pin())) {
            H3Connection connection = await(client.connect(server.localAddress(), "localhost"));
            var recorder = new Recorder();
            H3Stream stream = await(connection.openStream(connectUdp(ECHO_PATH), recorder));
            await(stream.response());
            byte[] big = new byte[1400];
            new java.util.Random(7).nextBytes(big);

            assertThat(connection.maxDatagramAtHandshake()).isGreaterThan(1400);
            assertThat(stream.sendDatagram(Unpooled.wrappedBuffer(big))).isEqualTo(SendOutcome.SENT);

            assertThat(recorder.nextDatagram()).isEqualTo(big);
            assertThat(connection.counters().tooLarge()).isZero();
            connection.close();
        }
    }

    @Test
    void withQuicheDefault1200BytePayloadsTheSameDatagramIsRefusedAsTooLarge() throws Exception {
        try (H3Client client = H3Client.create(ServerTrust.PinnedKeys.of(pin()), H3Options.defaults().withMaxUdpPayload(1200))) {
            H3Connection connection = await(client.connect(server.localAddress(), "localhost"));
            var recorder = new Recorder();
            H3Stream stream = await(connection.openStream(connectUdp(ECHO_PATH), recorder));
            await(stream.response());
            int limit = connection.maxDatagramAtHandshake();
            assertThat(limit).isEqualTo(1156);

            assertThat(stream.sendDatagram(Unpooled.wrappedBuffer(new byte[1400]))).isEqualTo(SendOutcome.TOO_LARGE);
            byte[] largest = new byte[limit - 1]; // one byte for quarter stream ID 0 (RFC 9297 §2.1)
            assertThat(stream.sendDatagram(Unpooled.wrappedBuffer(largest))).isEqualTo(SendOutcome.SENT);

            assertThat(recorder.nextDatagram()).hasSize(limit - 1);
            assertThat(connection.counters().tooLarge()).isEqualTo(1);
            connection.close();
        }
    }

    @Test
    void nonMasqueRequestGets404WithProxyStatus() throws Exception {
        try (H3Client client = pinnedClient(pin())) {
            H3Connection connection = await(client.connect(server.localAddress(), "localhost"));
            var request = new DefaultHttp3Headers().method("GET").scheme("https").authority("localhost").path("/");
            H3Stream stream = await(connection.openStream(request, StreamListener.NONE));
            Http3Headers response = await(stream.response());
            assertThat(response.status().toString()).isEqualTo("404");
            assertThat(response.get("proxy-status").toString()).contains("http_request_error");
            connection.close();
        }
    }

    @Test
    void aBurstBeyondTheSendQueueIsRefusedAndCountedNotSilentlyDropped() throws Exception {
        int queue = 64;
        int burst = 3_000;
        long sinkBefore = sinkDatagrams.get();
        try (H3Client client = H3Client.create(ServerTrust.PinnedKeys.of(pin()), H3Options.defaults().withDatagramQueues(1024, queue))) {
            H3Connection connection = await(client.connect(server.localAddress(), "localhost"));
            H3Stream stream = await(connection.openStream(connectUdp(SINK_PATH), StreamListener.NONE));
            await(stream.response());

            // All in one event-loop turn: quiche gets no chance to read ACKs, so its congestion window fills.
            var outcomes = CompletableFuture.supplyAsync(() -> {
                int[] counts = new int[SendOutcome.values().length];
                ByteBuf payload = Unpooled.directBuffer(1200).writeZero(1200);
                for (int i = 0; i < burst; i++) counts[stream.sendDatagram(payload.retainedDuplicate()).ordinal()]++;
                payload.release();
                return counts;
            }, connection.quic().eventLoop());
            int[] counts = await(outcomes);
            int sent = counts[SendOutcome.SENT.ordinal()];
            int full = counts[SendOutcome.QUEUE_FULL.ordinal()];

            assertThat(sent + full).isEqualTo(burst);
            assertThat(full).isPositive();
            assertThat(sent).isGreaterThanOrEqualTo(queue / 2);
            assertThat(connection.counters().sent()).isEqualTo(sent);
            assertThat(connection.counters().refusedFull()).isEqualTo(full);
            // Every datagram the sender accepted reaches the server: none vanished inside Netty.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            while (sinkDatagrams.get() - sinkBefore < sent && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(sinkDatagrams.get() - sinkBefore).isEqualTo(sent);
            connection.close();
        }
    }
}
