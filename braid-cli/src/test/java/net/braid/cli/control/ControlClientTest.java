package net.braid.cli.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ControlClientTest {
    @TempDir Path dir;

    @Test
    void readsTheWholeAnswer() throws Exception {
        Path socket = dir.resolve("a.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread.ofVirtual().start(() -> {
                try (SocketChannel c = server.accept()) {
                    c.write(ByteBuffer.wrap("interface=braid0\n".repeat(1000).getBytes(StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    // the test fails on the client side
                }
            });
            assertThat(ControlClient.fetch(socket, Duration.ofSeconds(10))).hasSize(17_000).startsWith("interface=braid0\n");
        }
    }

    /** A portal that accepts but never answers (stuck under a lock, say) must not hang braid show. */
    @Test
    void aSilentPeerTimesOutWithAClearMessage() throws Exception {
        Path socket = dir.resolve("stuck.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            assertThatThrownBy(() -> ControlClient.fetch(socket, Duration.ofMillis(300)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("no complete answer on " + socket + " within 300 ms");
        }
    }
}
