package net.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.braid.testbed.ExecResult;
import net.braid.testbed.Host;
import net.braid.testbed.Iperf3;
import net.braid.testbed.Iperf3Result;
import net.braid.testbed.Ping;
import net.braid.testbed.PingResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two real {@code braid up} processes in two namespaces (see {@link PortalPair}): ping and iperf3
 * across the tunnel, and recovery after one portal restarts. Needs root, /dev/net/tun, iproute2,
 * iperf3 and ping; skipped with the reason printed otherwise.
 */
@Timeout(90)
class TunnelNetnsTest {
    private static final Pattern RECEIVED_BYTES = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*\"bytes\"\\s*:\\s*(\\d+)");

    @Test
    void pingsCrossTheTunnelOverIpv4AndIpv6() {
        NetnsRequirement.assume("ping test", "ping");
        try (PortalPair pair = PortalPair.create("itping").start()) {
            // No warm-up: the first echo request waits (staged) for the start-up handshake and
            // must still arrive; an earlier engine lost it to a redundant second handshake.
            ExecResult v4 = patientPing(pair.left(), PortalPair.RIGHT_V4, 5);
            ExecResult v6 = patientPing(pair.left(), PortalPair.RIGHT_V6, 5);

            assertThat(PingResult.parse(v4.stdout()).received()).as("IPv4 replies\n%s%s", v4.stdout(), state(pair)).isEqualTo(5);
            assertThat(PingResult.parse(v6.stdout()).received()).as("IPv6 replies\n%s%s", v6.stdout(), state(pair)).isEqualTo(5);
            PortalStatus right = PortalStatus.read(pair, pair.right());
            assertThat(right.lastHandshakeMillis()).as("right portal saw a handshake").isPositive();
            assertThat(right.rxBytes()).isPositive();
        }
    }

    @Test
    void iperf3TcpCrossesTheTunnelBothWaysAndTheCountersAccountForIt() {
        NetnsRequirement.assume("iperf3 test", "ping", "iperf3", "ss");
        try (PortalPair pair = PortalPair.create("itiperf").start()) {
            warmUp(pair);
            Host left = pair.left();
            Host right = pair.right();

            PortalStatus leftBefore = PortalStatus.read(pair, left);
            PortalStatus rightBefore = PortalStatus.read(pair, right);
            long upstream = transfer(pair, false);
            PortalStatus leftMid = PortalStatus.read(pair, left);
            PortalStatus rightMid = PortalStatus.read(pair, right);

            assertThat(upstream).as("bytes received by iperf3 left -> right").isPositive();
            // Every received byte crossed the tunnel inside a sealed datagram, which is larger still.
            assertThat(leftMid.txBytes() - leftBefore.txBytes()).as("left tx growth").isGreaterThanOrEqualTo(upstream);
            assertThat(rightMid.rxBytes() - rightBefore.rxBytes()).as("right rx growth").isGreaterThanOrEqualTo(upstream);
            assertThat(rightMid.txBytes() - rightBefore.txBytes()).as("right tx growth (ACKs)").isPositive();
            assertThat(leftMid.rxBytes() - leftBefore.rxBytes()).as("left rx growth (ACKs)").isPositive();

            long downstream = transfer(pair, true);
            PortalStatus leftAfter = PortalStatus.read(pair, left);
            PortalStatus rightAfter = PortalStatus.read(pair, right);

            assertThat(downstream).as("bytes received by iperf3 right -> left").isPositive();
            assertThat(rightAfter.txBytes() - rightMid.txBytes()).as("right tx growth").isGreaterThanOrEqualTo(downstream);
            assertThat(leftAfter.rxBytes() - leftMid.rxBytes()).as("left rx growth").isGreaterThanOrEqualTo(downstream);
            assertThat(leftAfter.dropped("auth_failed")).isZero();
            assertThat(rightAfter.dropped("auth_failed")).isZero();
        }
    }

    @Test
    void tunnelRecoversByItselfWhenOnePortalRestarts() {
        NetnsRequirement.assume("restart test", "ping");
        try (PortalPair pair = PortalPair.create("itrestart").start()) {
            Host right = pair.right();
            warmUp(pair);
            long firstHandshake = PortalStatus.read(pair, right).lastHandshakeMillis();
            assertThat(tunPresent(right)).isTrue();

            pair.stop(right);

            assertThat(pair.process(right).isAlive()).isFalse();
            assertThat(tunPresent(right)).as("braid0 removed when its portal stops").isFalse();

            pair.startRight();
            // The left portal still holds the old session; hearing nothing back it starts a new
            // handshake after its no-reply timeout (5 s). 20 one-second pings leave ample margin.
            int attempts = 0;
            boolean answered = false;
            while (!answered && attempts < 20) {
                attempts++;
                answered = Ping.run(pair.left(), PortalPair.addr(PortalPair.RIGHT_V4), 1).received() == 1;
            }
            assertThat(answered).as("ping answered within %d attempts after the restart", attempts).isTrue();
            assertThat(Ping.run(pair.left(), PortalPair.addr(PortalPair.RIGHT_V6), 3).received()).isEqualTo(3);
            PortalStatus restarted = PortalStatus.read(pair, right);
            assertThat(restarted.lastHandshakeMillis()).isGreaterThanOrEqualTo(firstHandshake).isPositive();
            assertThat(pair.process(pair.left()).isAlive()).isTrue();
        }
    }

    /** Pings until one reply (one request a second, 15 s at most), so the handshake is done before anything is measured. */
    static void warmUp(PortalPair pair) {
        ExecResult r = pair.left().exec(Duration.ofSeconds(25), "ping", "-4", "-n", "-c", "1", "-w", "15", PortalPair.RIGHT_V4);
        assertThat(PingResult.parse(r.stdout()).received()).as("warm-up ping answered; %s", r.stdout()).isEqualTo(1);
    }

    /** {@code count} echo requests 0.2 s apart, waiting up to 5 s for the replies after the last one. */
    private static ExecResult patientPing(Host from, String to, int count) {
        return from.exec(Duration.ofSeconds(20), "ping", to.contains(":") ? "-6" : "-4", "-n",
                "-c", Integer.toString(count), "-i", "0.2", "-W", "5", to);
    }

    /** Both portals' status and output, for a failure message. */
    static String state(PortalPair pair) {
        StringBuilder b = new StringBuilder();
        for (Host h : new Host[] {pair.left(), pair.right()}) {
            b.append("\n--- ").append(h.name()).append(" portal\n");
            try {
                b.append(pair.show(h));
            } catch (RuntimeException e) {
                b.append("(no status: ").append(e.getMessage()).append(")\n");
            }
            b.append(pair.process(h).stdout()).append(pair.process(h).stderr());
        }
        return b.toString();
    }

    static boolean tunPresent(Host host) {
        ExecResult r = host.exec("ip", "link", "show", "braid0");
        return r.succeeded();
    }

    /** A 3-second iperf3 TCP run between the tunnel addresses; returns the bytes the receiver got. */
    private static long transfer(PortalPair pair, boolean rightToLeft) {
        try (Iperf3.Server server = Iperf3.server(pair.right(), PortalPair.addr(PortalPair.RIGHT_V4))) {
            Iperf3.Client client = Iperf3.client(pair.left(), server).seconds(3);
            if (rightToLeft) client.reverse();
            Iperf3Result result = client.run();
            assertThat(result.receivedBitsPerSecond()).isPositive();
            return receivedBytes(result);
        }
    }

    static long receivedBytes(Iperf3Result result) {
        Matcher m = RECEIVED_BYTES.matcher(result.json());
        assertThat(m.find()).as("iperf3 report has end.sum_received.bytes").isTrue();
        return Long.parseLong(m.group(1));
    }
}
