package net.braid.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Connection-level flow-control credit (RFC 9000 §4.1) must survive forwarded connections that end
 * abruptly while the QUIC stream still holds bytes nobody will read. Small windows make a leak show
 * after a few such connections: the sender's connection credit runs out and every stream of the
 * connection stalls with nothing in flight.
 */
class QuicStreamCreditTest {
    /** Two stream windows fit the connection window: three leaked streams exhaust it. */
    private static final QuicTuning SMALL_WINDOWS = new QuicTuning(1452, true, 16, false,
            QuicCongestionControlAlgorithm.CUBIC, 2L << 20, 1L << 20, Duration.ofSeconds(15));
    private static final int ABORTED = 4;

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @Test
    void targetsThatResetWithUnreadBytesLeaveTheConnectionUsable() throws Exception {
        try (var target = new ServerSocket(0, 64, InetAddress.getLoopbackAddress())) {
            BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
            threads.submit(() -> {
                while (true) accepted.add(target.accept());
            });
            ForwardUrl to = ForwardUrl.parse("tcp://127.0.0.1:" + target.getLocalPort());
            try (var exit = Forwarder.start(ForwardUrl.parse("quic://127.0.0.1:0"), to,
                    ForwardChain.serverOptions(null).withQuic(SMALL_WINDOWS));
                 var entry = Forwarder.start(ForwardUrl.parse("tcp://127.0.0.1:0"), exit.listening(),
                         ForwardChain.clientOptions(null).withQuic(SMALL_WINDOWS))) {
                InetSocketAddress entryAddress = entry.listening().socketAddress();
                for (int i = 0; i < ABORTED; i++) {
                    try (var client = ForwardPairingTest.connect(entryAddress)) {
                        var written = fillUntilStalled(client);
                        Socket far = accepted.poll(30, TimeUnit.SECONDS);
                        assertThat(far).as("target connection %d", i).isNotNull();
                        assertThat(written.get()).as("bytes the client got in before the stall").isPositive();
                        far.setSoLinger(true, 0);
                        far.close(); // RST, with the target's receive buffer and the stream's window unread
                        awaitClosedByForward(client);
                    }
                }
                // The connection is still there and must carry a full transfer.
                try (var client = ForwardPairingTest.connect(entryAddress)) {
                    var sent = threads.submit(() -> {
                        byte[] digest = TargetServer.writeSeeded(client.getOutputStream(), 8L << 20, 99);
                        client.shutdownOutput();
                        return digest;
                    });
                    Socket far = accepted.poll(30, TimeUnit.SECONDS);
                    assertThat(far).as("target connection after the resets").isNotNull();
                    try (far) {
                        far.setSoTimeout(ForwardPairingTest.READ_TIMEOUT_MS);
                        byte[] got = TargetServer.digestUntilEnd(far.getInputStream());
                        assertThat(got).as("SHA-256 of 8 MiB after %d reset streams", ABORTED)
                                .isEqualTo(sent.get(30, TimeUnit.SECONDS));
                    }
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** Writes from a thread of its own until one second passes without progress. */
    private AtomicLong fillUntilStalled(Socket client) throws InterruptedException {
        var written = new AtomicLong();
        threads.submit(() -> {
            OutputStream out = client.getOutputStream();
            byte[] chunk = new byte[64 * 1024];
            try {
                while (true) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException closed) {
                return null;
            }
        });
        for (long last = -1; written.get() != last; ) {
            last = written.get();
            Thread.sleep(1000);
        }
        return written;
    }

    /** The target reset, so the forward must end the client's connection too (RFC 9000 §3.5 on the way). */
    private static void awaitClosedByForward(Socket client) throws IOException {
        client.setSoTimeout(ForwardPairingTest.READ_TIMEOUT_MS);
        try {
            assertThat(client.getInputStream().read()).as("client connection after the target's reset").isEqualTo(-1);
        } catch (SocketException reset) {
            // a reset also ends it
        }
    }
}
