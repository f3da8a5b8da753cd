package net.braid.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every carrier between a TCP client and a TCP target, in process on loopback: tcp (one relay),
 * quic, ws and wss (a forwarder on each side).
 */
class ForwardPairingTest {
    static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();
    /** Generous: these bound hangs, they do not measure speed. */
    static final int READ_TIMEOUT_MS = 60_000;

    @AfterAll
    static void stopThreads() {
        THREADS.shutdownNow();
    }

    @ParameterizedTest(name = "tcp→{0}→tcp")
    @ValueSource(strings = {"tcp", "quic", "ws", "wss"})
    void moves20MegabytesEachWayIntact(String carrier) throws Exception {
        long size = 20L << 20;
        try (var target = new TargetServer(size); var chain = ForwardChain.start(carrier, target.address(), "s3cret", "s3cret")) {
            exchange(chain.entryAddress(), size, size);
        }
    }

    @ParameterizedTest(name = "tcp→{0}→tcp")
    @ValueSource(strings = {"tcp", "quic", "ws", "wss"})
    void clientThatShutItsOutputStillReceivesTheRest(String carrier) throws Exception {
        long down = 2L << 20;
        try (var target = new TargetServer(down); var chain = ForwardChain.start(carrier, target.address(), null, null);
             var s = connect(chain.entryAddress())) {
            byte[] sent = TargetServer.writeSeeded(s.getOutputStream(), 1000, 42);
            s.shutdownOutput();
            // The target answers its digest of our bytes only after our FIN reached it.
            readAndCheck(s.getInputStream(), down, sent);
        }
    }

    @ParameterizedTest(name = "tcp→{0}→tcp")
    @ValueSource(strings = {"tcp", "quic", "ws", "wss"})
    void unreachableTargetClosesTheClientConnection(String carrier) throws Exception {
        InetSocketAddress nobody;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), probe.getLocalPort());
        }
        try (var chain = ForwardChain.start(carrier, nobody, null, null)) {
            assertClosedWithoutData(chain.entryAddress());
            awaitNoOpenConnections(chain.entry);
        }
    }

    @ParameterizedTest(name = "tcp→{0}→tcp")
    @ValueSource(strings = {"quic", "ws", "wss"})
    void wrongTokenIsRefused(String carrier) throws Exception {
        try (var target = new TargetServer(1000); var chain = ForwardChain.start(carrier, target.address(), "right", "wrong")) {
            assertClosedWithoutData(chain.entryAddress());
            awaitNoOpenConnections(chain.entry);
            assertThat(chain.exit.openConnections()).as("connections the refusing end admitted").isZero();
        }
    }

    @ParameterizedTest(name = "tcp→{0}→tcp")
    @ValueSource(strings = {"tcp", "quic", "ws", "wss"})
    void hundredConcurrentConnectionsComplete(String carrier) throws Exception {
        long size = 100 * 1024;
        try (var target = new TargetServer(size); var chain = ForwardChain.start(carrier, target.address(), "t", "t")) {
            List<Future<?>> clients = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                clients.add(THREADS.submit(() -> {
                    exchange(chain.entryAddress(), size, size);
                    return null;
                }));
            }
            for (Future<?> c : clients) c.get(120, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "tcp→{0}→tcp")
    @ValueSource(strings = {"tcp", "quic", "ws", "wss"})
    void aTargetThatDoesNotReadStallsTheSender(String carrier) throws Exception {
        try (var silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            var held = new ArrayList<Socket>();
            THREADS.submit(() -> {
                while (true) held.add(silent.accept()); // accepts, never reads
            });
            var target = new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort());
            try (var chain = ForwardChain.start(carrier, target, null, null); var s = connect(chain.entryAddress())) {
                var written = new AtomicLong();
                THREADS.submit(() -> {
                    OutputStream out = s.getOutputStream();
                    byte[] chunk = new byte[64 * 1024];
                    while (true) {
                        out.write(chunk);
                        written.addAndGet(chunk.length);
                    }
                });
                long last = -1;
                boolean stalled = false;
                for (int i = 0; i < 60 && !stalled; i++) { // until one second passes without progress
                    last = written.get();
                    Thread.sleep(1000);
                    stalled = written.get() == last;
                }
                assertThat(stalled).as("sender stalled, after %d bytes", written.get()).isTrue();
                // Without back-pressure a loopback sender passes gigabytes and never stalls. On the way
                // are kernel socket buffers (tcp_rmem here allows 32 MiB per receiver), 1 MiB relay
                // marks and QUIC stream windows: a few tens of MiB per hop.
                assertThat(written.get()).as("bytes accepted from the sender").isLessThan(256L << 20);
            } finally {
                for (Socket h : held) h.close();
            }
        }
    }

    /** The slot is given back when the channel's close completes, just after the client saw it. */
    static void awaitNoOpenConnections(Forwarder forwarder) throws InterruptedException {
        for (int i = 0; i < 100 && forwarder.openConnections() > 0; i++) Thread.sleep(100);
        assertThat(forwarder.openConnections()).as("open connections").isZero();
    }

    static Socket connect(InetSocketAddress address) throws IOException {
        var s = new Socket();
        s.connect(address, 10_000);
        s.setSoTimeout(READ_TIMEOUT_MS);
        return s;
    }

    /** Sends {@code up} bytes and ends output while reading {@code down} bytes and the target's digest. */
    static void exchange(InetSocketAddress entry, long up, long down) throws Exception {
        try (var s = connect(entry)) {
            Future<byte[]> sent = THREADS.submit(() -> {
                byte[] digest = TargetServer.writeSeeded(s.getOutputStream(), up, 1234 + up);
                s.shutdownOutput();
                return digest;
            });
            byte[] targetSaw = readAndCheck(s.getInputStream(), down, null);
            assertThat(HexFormat.of().formatHex(targetSaw)).as("SHA-256 of the bytes the target received")
                    .isEqualTo(HexFormat.of().formatHex(sent.get(10, TimeUnit.SECONDS)));
        }
    }

    /** Reads the target's {@code down} bytes, its digest of what it received (returned), then end of stream. */
    static byte[] readAndCheck(InputStream in, long down, byte[] expectedAtTarget) throws IOException {
        MessageDigest sha = TargetServer.sha256();
        byte[] buf = new byte[64 * 1024];
        for (long left = down; left > 0; ) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) throw new AssertionError("stream ended " + left + " bytes early");
            sha.update(buf, 0, n);
            left -= n;
        }
        byte[] expectedDown = TargetServer.writeSeeded(OutputStream.nullOutputStream(), down, TargetServer.seed(down));
        assertThat(HexFormat.of().formatHex(sha.digest())).as("SHA-256 of the bytes from the target")
                .isEqualTo(HexFormat.of().formatHex(expectedDown));
        byte[] targetSaw = in.readNBytes(32);
        assertThat(targetSaw).as("digest sent by the target after our FIN").hasSize(32);
        assertThat(in.read()).as("end of stream after the digest").isEqualTo(-1);
        if (expectedAtTarget != null) assertThat(targetSaw).isEqualTo(expectedAtTarget);
        return targetSaw;
    }

    /** The forward must close our connection (FIN or reset) without passing any byte. */
    static void assertClosedWithoutData(InetSocketAddress entry) throws IOException {
        try (var s = connect(entry)) {
            int first;
            try {
                first = s.getInputStream().read();
            } catch (SocketException reset) {
                first = -1;
            }
            assertThat(first).as("first byte read").isEqualTo(-1);
        }
    }
}
