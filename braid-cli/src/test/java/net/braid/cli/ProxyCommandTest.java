package net.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code braid proxy} through the real main in a child JVM: exit codes and messages, never a stack trace. */
class ProxyCommandTest {
    @TempDir Path dir;

    record Run(int exit, String output) {}

    static Run braid(String... args) throws Exception {
        Process p = new ProcessBuilder(BraidProcess.command(args)).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("braid " + String.join(" ", args) + " did not exit");
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }

    @Test
    void badConfigurationExits2WithEveryErrorAndNoStackTrace() throws Exception {
        Path file = Files.writeString(dir.resolve("edge.conf"), "[Proxy]\nListen = 198.18.0.1:70000\nAllowTarget = 10.0.0.0/40\n");
        Run r = braid("proxy", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.output()).isEqualTo("""
                braid: configuration has errors:
                  Proxy.Listen invalid: port max 65535; given 70000
                  Proxy.Token missing: the proxy refuses unauthenticated use; give Token = ... or TokenFile = PATH
                  Proxy.AllowTarget invalid: prefix length max 32 for IPv4; given 10.0.0.0/40
                """);
    }

    @Test
    void missingFileExits2() throws Exception {
        Run r = braid("proxy", dir.resolve("absent.conf").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.output()).isEqualTo("braid: proxy: configuration file " + dir.resolve("absent.conf") + " does not exist\n");
    }

    @Test
    void portInUseExits1WithAClearMessage() throws Exception {
        try (var taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = taken.getLocalPort();
            Path file = Files.writeString(dir.resolve("edge.conf"), "[Proxy]\nListen = 127.0.0.1:" + port + "\nToken = t\n");
            Run r = braid("proxy", file.toString(), "--control-dir", dir.resolve("control").toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.output()).contains("braid: proxy: cannot listen on UDP 127.0.0.1:" + port + ": Address already in use")
                    .doesNotContain("\tat ", "Exception");
        }
    }

    @Test
    void servesPrintsItsAddressAndPinAndStopsOnSigterm() throws Exception {
        int port;
        try (var probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = probe.getLocalPort();
        }
        Path file = Files.writeString(dir.resolve("edge.conf"), "[Proxy]\nListen = 127.0.0.1:" + port + "\nToken = t\n");
        Path control = dir.resolve("control");
        Process p = new ProcessBuilder(BraidProcess.command("proxy", file.toString(), "--control-dir", control.toString()))
                .redirectErrorStream(true).start();
        try {
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
            assertThat(out.readLine()).matches("braid: self-signed certificate; clients pin its key with --pin [A-Za-z0-9+/]{43}=");
            assertThat(out.readLine()).matches("braid: proxy edge listening on UDP 127\\.0\\.0\\.1:" + port + " \\(HTTP/3: CONNECT, CONNECT-UDP\\),"
                    + " control socket " + java.util.regex.Pattern.quote(control.resolve("edge.sock").toString()));
            var status = net.braid.cli.proxy.ProxyStatusLines.parse(net.braid.cli.control.ControlClient.fetch(control.resolve("edge.sock")));
            assertThat(status).containsEntry("proxy", "edge").containsEntry("tcp_sessions", "0").containsEntry("connections", "0");
            p.toHandle().destroy(); // SIGTERM; Process.destroy would also close our end of its output
            String rest = out.lines().collect(java.util.stream.Collectors.joining("\n")); // to end of output
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(rest).isEqualTo("braid: proxy edge stopped");
            assertThat(Files.exists(control.resolve("edge.sock"))).isFalse();
        } finally {
            p.destroyForcibly();
        }
    }
}
