package net.braid.cli.interpose;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.braid.cli.control.ControlClient;
import net.braid.cli.control.ControlServer;
import net.braid.testbed.ExecResult;
import net.braid.testbed.Host;
import net.braid.testbed.Iperf3;
import net.braid.testbed.Iperf3Result;
import net.braid.testbed.Link;
import net.braid.testbed.Spawned;
import net.braid.testbed.Testbed;
import net.braid.testbed.Tools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code braid interpose} between real namespaces: the client's captured default route goes into
 * the braid TUN, every TCP connection and UDP flow rides {@code braid proxy} (CONNECT and
 * CONNECT-UDP over HTTP/3) to the server, which the client cannot reach otherwise. curl downloads
 * checked by SHA-256, iperf3, 32 concurrent downloads and a UDP exchange. Needs root, iproute2,
 * curl, python3 and iperf3; skipped with the reason otherwise.
 */
@Timeout(240)
class InterposeNetnsTest {
    private static final Pattern PIN = Pattern.compile("--pin (\\S+)");
    private static final Duration READY = Duration.ofSeconds(60);
    private static final String TOKEN = "interpose-token";
    private static final int PROXY_PORT = 4433;
    private static final int HTTP_PORT = 8000;
    private static final int UDP_PORT = 7007;

    @TempDir Path dir;

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"h3", "h2"})
    void appsInTheClientNamespaceReachTheServerOnlyThroughInterpositionAndTheProxy(String transport) throws Exception {
        String unmet = Testbed.available().orElse(null);
        for (String tool : List.of("curl", "python3", "iperf3", "ping")) {
            if (unmet == null && Tools.find(tool).isEmpty()) unmet = "missing tool " + tool;
        }
        if (unmet != null) System.out.println("skipped braid interpose netns test: " + unmet);
        Assumptions.assumeTrue(unmet == null, unmet);

        Path www = Files.createDirectories(dir.resolve("www"));
        byte[] big = new byte[16 << 20];
        new Random(5).nextBytes(big);
        Files.write(www.resolve("big"), big);
        byte[] small = new byte[256 * 1024];
        new Random(6).nextBytes(small);
        Files.write(www.resolve("small"), small);

        try (Testbed bed = Testbed.create("ip5")) {
            Host client = bed.host("client");
            Host proxyHost = bed.host("proxy");
            Host server = bed.host("server");
            Link near = bed.link(client, proxyHost);
            Link far = bed.link(proxyHost, server);
            InetAddress proxyAddress = near.v4(proxyHost);
            String serverIp = far.v4(server).getHostAddress();
            assertThat(client.exec("ping", "-c", "1", "-W", "1", serverIp).exitCode())
                    .as("client cannot reach the server directly").isNotZero();

            Path proxyConf = Files.writeString(dir.resolve("edge.conf"), """
                    [Proxy]
                    Listen = %s:%d
                    ListenTcp = %1$s:%2$d
                    Token = %s
                    AllowTarget = 198.18.0.0/15
                    UdpIdleTimeout = 30
                    """.formatted(proxyAddress.getHostAddress(), PROXY_PORT, TOKEN));
            List<Spawned> started = new ArrayList<>();
            try {
                Spawned proxy = proxyHost.spawn(braid("proxy", proxyConf.toString(), "--control-dir", dir.resolve("pc").toString()));
                started.add(proxy);
                proxy.awaitOutput("listening on UDP", READY);
                Matcher pin = PIN.matcher(proxy.stdout());
                assertThat(pin.find()).as("pin printed by braid proxy:\n%s", proxy.stdout()).isTrue();

                Path conf = Files.writeString(dir.resolve("interpose.conf"), """
                        [Interpose]
                        Proxy = %s:%d
                        Token = %s
                        PinnedKey = %s
                        Tun = braidip1
                        Address = 198.19.250.1/24
                        Route = 0.0.0.0/0
                        Transport = %s
                        """.formatted(proxyAddress.getHostAddress(), PROXY_PORT, TOKEN, pin.group(1), transport));
                Spawned interpose = client.spawn(braid("interpose", conf.toString(), "--control-dir", dir.resolve("ic").toString()));
                started.add(interpose);
                interpose.awaitOutput("interposing TUN", READY);
                interpose.awaitOutput("connected to proxy", READY);
                assertThat(interpose.stdout()).contains("over " + (transport.equals("h2") ? "HTTP/2" : "HTTP/3"));

                Spawned http = server.spawn(List.of("python3", "-m", "http.server", "--bind", serverIp,
                        "--directory", www.toString(), Integer.toString(HTTP_PORT)));
                started.add(http);
                awaitHttp(client, serverIp, interpose);

                // 1. A 16 MB download, checked by SHA-256.
                Path got = dir.resolve("got");
                ExecResult curl = client.exec(Duration.ofSeconds(120), "curl", "-sS", "--max-time", "100", "-o", got.toString(),
                        "-w", "%{speed_download}", "http://" + serverIp + ":" + HTTP_PORT + "/big");
                assertThat(curl.exitCode()).as("curl: %s %s\ninterpose: %s", curl.stdout(), curl.stderr(), interpose.stderr()).isZero();
                assertThat(sha256(Files.readAllBytes(got))).isEqualTo(sha256(big));
                double mbps = Double.parseDouble(curl.stdout().strip()) * 8 / 1e6;

                // 2. 32 concurrent downloads.
                String many = "for i in $(seq 32); do curl -sS --max-time 60 -o " + dir.resolve("m") + ".$i http://"
                        + serverIp + ":" + HTTP_PORT + "/small & done; wait";
                ExecResult parallel = client.exec(Duration.ofSeconds(120), "bash", "-c", many);
                assertThat(parallel.exitCode()).as("parallel curls: %s", parallel.stderr()).isZero();
                for (int i = 1; i <= 32; i++) {
                    assertThat(sha256(Files.readAllBytes(dir.resolve("m." + i)))).as("download %d", i).isEqualTo(sha256(small));
                }

                // 3. iperf3, TCP.
                Iperf3Result iperf;
                try (Iperf3.Server s = Iperf3.server(server, far.v4(server))) {
                    iperf = Iperf3.client(client, s).seconds(3).run();
                }
                assertThat(iperf.receivedMbps()).isPositive();

                // 4. UDP both ways, one CONNECT-UDP flow.
                Spawned echo = server.spawn(List.of("python3", "-c", """
                        import socket
                        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                        s.bind(('%s', %d))
                        print('echoing', flush=True)
                        while True:
                            d, a = s.recvfrom(2048)
                            s.sendto(d, a)
                        """.formatted(serverIp, UDP_PORT)));
                started.add(echo);
                echo.awaitOutput("echoing", READY);
                ExecResult udp = client.exec(Duration.ofSeconds(60), "python3", "-c", """
                        import socket
                        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                        s.settimeout(1.0)
                        got = 0
                        for i in range(20):
                            s.sendto(b'ping %%d' %% i, ('%s', %d))
                            try:
                                d, a = s.recvfrom(2048)
                                got += d.startswith(b'ping')
                            except socket.timeout:
                                pass
                        print('echoed', got)
                        """.formatted(serverIp, UDP_PORT));
                assertThat(udp.exitCode()).as("udp: %s", udp.stderr()).isZero();
                int echoed = Integer.parseInt(udp.stdout().strip().replace("echoed ", ""));
                assertThat(echoed).as("datagrams echoed of 20").isGreaterThanOrEqualTo(15);

                // 5. braid show lists the UDP flow, still live (idle timeout 60 s), with its upstream.
                Path controlDir = dir.resolve("ic");
                String raw = ControlClient.fetch(ControlServer.socketPath(controlDir, "braidip1"));
                assertThat(raw).startsWith("interpose=braidip1\n")
                        .contains("connection=connected over " + (transport.equals("h2") ? "HTTP/2" : "HTTP/3"))
                        .containsPattern("(?m)^flow=udp 198\\.19\\.250\\.1:\\d+ -> " + serverIp.replace(".", "\\.") + ":" + UDP_PORT
                                + " state=OPEN from_app=\\d+ to_app=\\d+ retransmits=0 upstream=open$");
                ExecResult show = client.exec(Duration.ofSeconds(60), braid("show", "--control-dir", controlDir.toString()));
                assertThat(show.exitCode()).as("braid show: %s", show.stderr()).isZero();
                assertThat(show.stdout()).contains("interpose: braidip1").contains("  udp 198.19.250.1:")
                        .contains(serverIp + ":" + UDP_PORT + "  OPEN").contains("upstream open");

                System.out.printf("braid interpose netns over " + transport + ": curl 16 MB at %.0f Mbit/s, 32 parallel downloads ok, iperf3 %.0f Mbit/s, UDP %d/20%n",
                        mbps, iperf.receivedMbps(), echoed);
            } finally {
                for (Spawned s : started.reversed()) s.stop();
            }
        }
    }

    /** Waits until the server answers through the tunnel (the first flows also wait for the proxy connection). */
    private static void awaitHttp(Host client, String serverIp, Spawned interpose) throws InterruptedException {
        ExecResult last = null;
        for (int i = 0; i < 30; i++) {
            last = client.exec(Duration.ofSeconds(10), "curl", "-sS", "--max-time", "5", "-o", "/dev/null",
                    "http://" + serverIp + ":" + HTTP_PORT + "/small");
            if (last.exitCode() == 0) return;
            Thread.sleep(500);
        }
        throw new AssertionError("server never answered through braid interpose: " + last.stderr()
                + "\ninterpose stdout: " + interpose.stdout() + "\ninterpose stderr: " + interpose.stderr());
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** This JVM and class path running braid. */
    private static List<String> braid(String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "net.braid.cli.Braid"));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
