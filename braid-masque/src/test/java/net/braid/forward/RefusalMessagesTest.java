package net.braid.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import net.braid.masque.h3.ServerTrust;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a dialling end reports when it is refused: the reason must reach the log line. */
class RefusalMessagesTest {
    static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = IoTransport.newGroup(1);
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static String failure(Dialer dialer) throws InterruptedException {
        try (dialer) {
            Future<Channel> dial = dialer.dial(group.next()).await();
            assertThat(dial.isSuccess()).as("dial succeeded").isFalse();
            return dial.cause().getMessage();
        }
    }

    static int closedPort() throws Exception {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void refusedTcpTarget() throws Exception {
        int port = closedPort();
        var dialer = new TcpDialer(ForwardUrl.parse("tcp://127.0.0.1:" + port), ForwardOptions.defaults());
        assertThat(failure(dialer)).isEqualTo("cannot reach tcp://127.0.0.1:" + port + ": Connection refused");
    }

    @Test
    void quicPeerRefusesTokenAndUnreachableTarget() throws Exception {
        try (var target = new TargetServer(0);
             var exit = Forwarder.start(ForwardUrl.parse("quic://127.0.0.1:0"),
                     ForwardUrl.parse("tcp://127.0.0.1:" + target.port()), ForwardChain.serverOptions("right"))) {
            var wrong = new QuicDialer(exit.listening(), group, ForwardChain.clientOptions("wrong"));
            assertThat(failure(wrong)).isEqualTo(exit.listening() + " refused the connection: BAD_TOKEN: wrong token");
        }
        int port = closedPort();
        try (var exit = Forwarder.start(ForwardUrl.parse("quic://127.0.0.1:0"),
                ForwardUrl.parse("tcp://127.0.0.1:" + port), ForwardChain.serverOptions(null))) {
            var dialer = new QuicDialer(exit.listening(), group, ForwardChain.clientOptions(null));
            assertThat(failure(dialer)).isEqualTo(exit.listening() + " refused the connection: TARGET_UNREACHABLE: "
                    + "cannot reach tcp://127.0.0.1:" + port + ": Connection refused");
        }
    }

    @Test
    void quicPeerWithAnotherKeyFailsTheHandshakeWithTheReason() throws Exception {
        try (var target = new TargetServer(0);
             var exit = Forwarder.start(ForwardUrl.parse("quic://127.0.0.1:0"),
                     ForwardUrl.parse("tcp://127.0.0.1:" + target.port()), ForwardChain.serverOptions(null))) {
            var options = ForwardChain.clientOptions(null)
                    .withTrust(ServerTrust.PinnedKeys.of("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
            assertThat(failure(new QuicDialer(exit.listening(), group, options)))
                    .startsWith("QUIC/TLS handshake with " + exit.listening() + " failed: server certificate refused:")
                    .contains("matches no pinned key");
        }
    }

    @Test
    void webSocketPeerAnswers401And502() throws Exception {
        try (var target = new TargetServer(0);
             var exit = Forwarder.start(ForwardUrl.parse("wss://127.0.0.1:0/t"),
                     ForwardUrl.parse("tcp://127.0.0.1:" + target.port()), ForwardChain.serverOptions("right"))) {
            var wrong = new WebSocketDialer(exit.listening(), ForwardChain.clientOptions("wrong"));
            assertThat(failure(wrong)).isEqualTo(exit.listening() + " refused the WebSocket upgrade: 401 Unauthorized: wrong or missing token");
            var wrongPath = new WebSocketDialer(ForwardUrl.parse("wss://127.0.0.1:" + exit.listening().port() + "/x"),
                    ForwardChain.clientOptions("right"));
            assertThat(failure(wrongPath)).contains("404 Not Found");
        }
        int port = closedPort();
        try (var exit = Forwarder.start(ForwardUrl.parse("ws://127.0.0.1:0"),
                ForwardUrl.parse("tcp://127.0.0.1:" + port), ForwardChain.serverOptions(null))) {
            var dialer = new WebSocketDialer(exit.listening(), ForwardChain.clientOptions(null));
            assertThat(failure(dialer)).isEqualTo(exit.listening() + " refused the WebSocket upgrade: 502 Bad Gateway: "
                    + "cannot reach tcp://127.0.0.1:" + port + ": Connection refused");
        }
    }

    @Test
    void connectionLimitRefusesExtras() throws Exception {
        try (var silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
             var exit = Forwarder.start(ForwardUrl.parse("quic://127.0.0.1:0"),
                     ForwardUrl.parse("tcp://127.0.0.1:" + silent.getLocalPort()),
                     ForwardChain.serverOptions(null).withMaxConnections(1))) {
            var dialer = new QuicDialer(exit.listening(), group, ForwardChain.clientOptions(null));
            Channel first = dialer.dial(group.next()).sync().getNow();
            assertThat(failure(dialer)).isEqualTo(exit.listening() + " refused the connection: TOO_MANY_CONNECTIONS: all 1 connections in use");
            first.close();
        }
    }
}
