package net.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.braid.cli.control.ControlClient;
import net.braid.cli.proxy.ProxyStatusLines;
import net.braid.testbed.ExecResult;
import net.braid.testbed.Host;
import net.braid.testbed.Iperf3;
import net.braid.testbed.Iperf3Result;
import net.braid.testbed.Link;
import net.braid.testbed.Spawned;
import net.braid.testbed.Testbed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code braid proxy} as a process between namespaces: client — proxy — server, 198.18.x
 * addresses, the client reaching the server only through the proxy (no route, no forwarding).
 * iperf3 through {@code braid forward tcp://… h3://…} (HTTP/3 CONNECT), and CONNECT-UDP with the
 * library client to a UDP echo. Needs root, iproute2 and iperf3; skipped with the reason otherwise.
 */
@Timeout(180)
class ProxyNetnsTest {
    private static final Pattern PIN = Pattern.compile("--pin (\\S+)");
    private static final Duration READY = Duration.ofSeconds(60);
    private static final String TOKEN = "netns-token";
    private static final int PROXY_PORT = 4433;
    private static final int FORWARD_PORT = 8080;
    private static final int ECHO_PORT = 7007;

    @TempDir Path dir;

    @Test
    void iperf3ThroughForwardAndProxyAndUdpThroughConnectUdp() throws Exception {
        NetnsRequirement.assume("braid proxy netns test", "iperf3", "ping");
        try (Testbed bed = Testbed.create("prx")) {
            ProxyTopology net = ProxyTopology.create(bed);
            Host client = net.client();
            Host proxyHost = net.proxy();
            Host server = net.server();
            InetAddress proxyAddress = net.proxyAddress();
            InetAddress serverAddress = net.serverAddress();

            Path control = dir.resolve("control");
            Path file = Files.writeString(dir.resolve("edge.conf"), """
                    [Proxy]
                    Listen = %s:%d
                    Token = %s
                    AllowTarget = 198.18.0.0/15
                    UdpIdleTimeout = 30
                    """.formatted(proxyAddress.getHostAddress(), PROXY_PORT, TOKEN));
            List<Spawned> started = new ArrayList<>();
            try {
                Spawned proxy = proxyHost.spawn(BraidProcess.command("proxy", file.toString(), "--control-dir", control.toString()));
                started.add(proxy);
                proxy.awaitOutput("listening on UDP", READY);
                Matcher pin = PIN.matcher(proxy.stdout());
                assertThat(pin.find()).as("pin printed by braid proxy:\n%s", proxy.stdout()).isTrue();

                Spawned forward = client.spawn(BraidProcess.command("forward",
                        "--listen", "tcp://127.0.0.1:" + FORWARD_PORT,
                        "--to", "h3://" + proxyAddress.getHostAddress() + ":" + PROXY_PORT + "/"
                                + serverAddress.getHostAddress() + ":" + Iperf3.DEFAULT_PORT,
                        "--pin", pin.group(1), "--token", TOKEN));
                started.add(forward);
                forward.awaitOutput("braid: forwarding", READY);

                Iperf3Result result;
                try (Iperf3.Server iperf = Iperf3.server(server, serverAddress)) {
                    result = Iperf3.client(client, InetAddress.getLoopbackAddress()).port(FORWARD_PORT).seconds(3).run();
                }
                assertThat(result.receivedMbps()).as("iperf3 through forward and proxy\nproxy: %s\nforward: %s",
                        proxy.stderr(), forward.stderr()).isPositive();
                Map<String, String> afterTcp = status(control);
                // iperf3 opens a control connection and a data connection: one CONNECT each.
                assertThat(Long.parseLong(afterTcp.get("tcp_sessions"))).as("CONNECTs served").isGreaterThanOrEqualTo(2);
                assertThat(afterTcp.get("refused")).isEqualTo("0");

                Spawned echo = server.spawn(javaCommand(UdpEcho.class, serverAddress.getHostAddress(), Integer.toString(ECHO_PORT)));
                started.add(echo);
                echo.awaitOutput("echoing on", READY);
                ExecResult probe = client.exec(Duration.ofSeconds(90), javaCommand(MasqueUdpProbe.class,
                        proxyAddress.getHostAddress(), Integer.toString(PROXY_PORT), pin.group(1), TOKEN,
                        serverAddress.getHostAddress(), Integer.toString(ECHO_PORT), "20"));
                assertThat(probe.exitCode()).as("CONNECT-UDP probe\n%s%s", probe.stdout(), probe.stderr()).isZero();
                assertThat(probe.stdout()).contains("echoed 20 of 20");
                Map<String, String> afterUdp = status(control);
                System.out.printf("braid proxy netns: iperf3 %.0f Mbit/s through forward→h3→proxy; %s; proxy counters %s%n",
                        result.receivedMbps(), probe.stdout().strip(), afterUdp);
                assertThat(afterUdp.get("udp_sessions")).isEqualTo("1");
                assertThat(Long.parseLong(afterUdp.get("datagrams_to_targets"))).isGreaterThanOrEqualTo(20);
                assertThat(Long.parseLong(afterUdp.get("datagrams_from_targets"))).isGreaterThanOrEqualTo(20);
            } finally {
                for (Spawned s : started.reversed()) s.stop();
            }
        }
    }

    private static Map<String, String> status(Path control) throws Exception {
        return ProxyStatusLines.parse(ControlClient.fetch(control.resolve("edge.sock")));
    }

    /** This JVM and class path running a test main class. */
    private static List<String> javaCommand(Class<?> main, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
