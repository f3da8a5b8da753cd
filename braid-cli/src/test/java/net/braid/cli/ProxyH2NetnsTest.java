package net.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.braid.testbed.ExecResult;
import net.braid.testbed.Host;
import net.braid.testbed.Link;
import net.braid.testbed.Spawned;
import net.braid.testbed.Testbed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP/2 fallback where UDP is blocked: client — proxy — server namespaces (198.18.x), an nft
 * rule in the proxy's namespace dropping UDP to the proxy port (so HTTP/3 cannot connect), and
 * CONNECT-UDP and CONNECT still working over HTTP/2 on the same port number over TCP. The rule
 * lives and dies with the test's namespace. Needs root, iproute2 and nft; skipped otherwise.
 */
@Timeout(180)
class ProxyH2NetnsTest {
    private static final Pattern PIN = Pattern.compile("pin (\\S+)");
    private static final Duration READY = Duration.ofSeconds(60);
    private static final String TOKEN = "netns-h2-token";
    private static final int PROXY_PORT = 4433;
    private static final int UDP_ECHO_PORT = 7007;
    private static final int TCP_ECHO_PORT = 7008;

    @Test
    void connectUdpAndConnectWorkOverHttp2WhenUdpToTheProxyIsDropped() throws Exception {
        NetnsRequirement.assume("HTTP/2 fallback netns test", "nft", "ping");
        try (Testbed bed = Testbed.create("h2f")) {
            ProxyTopology net = ProxyTopology.create(bed);
            Host client = net.client();
            Host proxyHost = net.proxy();
            Host server = net.server();
            InetAddress proxyAddress = net.proxyAddress();
            InetAddress serverAddress = net.serverAddress();
            net.blockUdpTo(PROXY_PORT);

            List<Spawned> started = new ArrayList<>();
            try {
                Spawned proxy = proxyHost.spawn(javaCommand(H2ProxyMain.class, proxyAddress.getHostAddress(),
                        Integer.toString(PROXY_PORT), TOKEN, "198.18.0.0/15"));
                started.add(proxy);
                proxy.awaitOutput("listening on UDP", READY);
                Matcher pin = PIN.matcher(proxy.stdout());
                assertThat(pin.find()).as("pin printed:\n%s", proxy.stdout()).isTrue();

                Spawned udpEcho = server.spawn(javaCommand(UdpEcho.class, serverAddress.getHostAddress(), Integer.toString(UDP_ECHO_PORT)));
                started.add(udpEcho);
                udpEcho.awaitOutput("echoing on", READY);
                Spawned tcpEcho = server.spawn(javaCommand(TcpEcho.class, serverAddress.getHostAddress(), Integer.toString(TCP_ECHO_PORT)));
                started.add(tcpEcho);
                tcpEcho.awaitOutput("echoing on", READY);

                ExecResult probe = client.exec(Duration.ofSeconds(120), javaCommand(MasqueH2Probe.class,
                        proxyAddress.getHostAddress(), Integer.toString(PROXY_PORT), pin.group(1), TOKEN,
                        serverAddress.getHostAddress(), Integer.toString(UDP_ECHO_PORT), Integer.toString(TCP_ECHO_PORT), "20"));
                long drops = net.udpDropped();
                System.out.printf("braid HTTP/2 fallback netns: %s; UDP to the proxy dropped: %d%n", probe.stdout().strip().replace('\n', ';'),
                        drops);
                assertThat(probe.exitCode()).as("probe\n%s%s\nproxy: %s", probe.stdout(), probe.stderr(), proxy.stderr()).isZero();
                assertThat(probe.stdout()).contains("h3 failed").contains("echoed 20 of 20 (capsules)")
                        .contains("tcp echoed 1048576 bytes");
                assertThat(drops).as("UDP datagrams to the proxy dropped").isPositive();
            } finally {
                for (Spawned s : started.reversed()) s.stop();
            }
        }
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
