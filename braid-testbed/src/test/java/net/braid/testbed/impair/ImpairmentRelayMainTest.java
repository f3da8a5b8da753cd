package net.braid.testbed.impair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImpairmentRelayMainTest {

    @Test
    void optionsBecomeCommands() {
        ImpairmentRelayMain.Options options = ImpairmentRelayMain.parse(List.of(
                "--listen", "198.18.0.2:7000", "--target", "[2001:db8:0:1::2]:7001",
                "--delay", "20ms", "--jitter", "5ms", "normal", "--loss", "gemodel", "1%", "20%",
                "--up-rate", "50mbit", "--down-delay", "30ms", "--seed", "7", "--slots", "128", "--max-datagram", "9kb",
                "--schedule", "5s", "cut;", "10s", "restore"));
        assertThat(options.listen()).isEqualTo(new InetSocketAddress(InetAddress.ofLiteral("198.18.0.2"), 7000));
        assertThat(options.target()).isEqualTo(new InetSocketAddress(InetAddress.ofLiteral("2001:db8:0:1::2"), 7001));
        assertThat(options.commands()).containsExactly(
                "delay 20ms", "jitter 5ms normal", "loss gemodel 1% 20%", "up rate 50mbit", "down delay 30ms");
        assertThat(options.seed()).contains(7L);
        assertThat(options.slots()).isEqualTo(128);
        assertThat(options.maxDatagram()).isEqualTo(9216);
        assertThat(options.schedule()).isEqualTo(Schedule.parse("5s cut; 10s restore"));
    }

    @Test
    void refusesBadOptions() {
        assertThatThrownBy(() -> ImpairmentRelayMain.parse(List.of("--listen", "198.18.0.2:7000")))
                .hasMessageContaining("--target");
        assertThatThrownBy(() -> ImpairmentRelayMain.parse(List.of("--listen", "2001:db8::1:7000", "--target", "198.18.0.1:1")))
                .hasMessageContaining("brackets");
        assertThatThrownBy(() -> ImpairmentRelayMain.parse(List.of("--listen", "198.18.0.2:7000", "--target", "198.18.0.1:1", "--stats")))
                .hasMessageContaining("not an option");
        assertThatThrownBy(() -> ImpairmentRelayMain.parse(List.of("--listen", "198.18.0.2:7000", "--target", "198.18.0.1:1", "--delay")))
                .hasMessageContaining("delay takes one value");
        assertThatThrownBy(() -> ImpairmentRelayMain.parse(List.of("delay", "20ms"))).hasMessageContaining("expected an option");
    }

    @Test
    void answersEachStdinLineWithOneLine() throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (UdpEcho echo = UdpEcho.start(loopback);
                ImpairmentRelay relay = ImpairmentRelay.listen(loopback).target(echo.address()).start()) {
            assertThat(UdpEcho.probe(relay.listenAddress(), 2, Duration.ZERO, Duration.ofSeconds(1)).received()).isEqualTo(2);
            ImpairmentRelayTest.settled(relay);
            String input = "cut\n\n# a comment\nrestore\ndelay 40ms\nup rate 10mbit\nloss 2%\nbogus\nstats\nshow\n";
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImpairmentRelayMain.serve(relay, new BufferedReader(new StringReader(input)), new PrintStream(bytes, true, StandardCharsets.UTF_8));
            List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
            assertThat(lines).hasSize(8);
            assertThat(lines.subList(0, 5)).containsExactly("ok cut", "ok restore", "ok delay 40ms", "ok up rate 10mbit", "ok loss 2%");
            assertThat(lines.get(5)).startsWith("error unknown command: bogus");
            assertThat(RelayCounters.parse(lines.get(6)).up().forwarded()).isEqualTo(2);
            assertThat(lines.get(7)).startsWith("show up: delay=40ms").contains("rate=10mbit", "loss=2.0%");
            assertThat(relay.impairment(Direction.DOWN).rateBitsPerSecond()).isZero();
            assertThat(relay.impairment(Direction.DOWN).delay()).isEqualTo(Duration.ofMillis(40));
            assertThat(relay.isCut(Direction.UP)).isFalse();
        }
    }
}
