package net.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real main in a child JVM: output written with print() must survive System.exit. */
class BraidMainTest {
    @Test
    void showPrintsThroughMainAndExits(@TempDir Path controlDir) throws Exception {
        Files.createDirectories(controlDir);
        Process p = new ProcessBuilder(BraidProcess.command("show", "--control-dir", controlDir.toString()))
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).isZero();
        assertThat(out).isEqualTo("no tunnels running\n");
    }

    @Test
    void showRawOutputWrittenWithPrintSurvivesExit(@TempDir Path controlDir) throws Exception {
        String status = "interface=braid9\npublic_key=AAAA\nlisten_port=1\n";
        try (var server = net.braid.cli.control.ControlServer.start(controlDir, "braid9", () -> status)) {
            Process p = new ProcessBuilder(BraidProcess.command("show", "--raw", "braid9", "--control-dir", controlDir.toString()))
                    .redirectErrorStream(true).start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(p.getInputStream().readAllBytes())).isEqualTo(status);
            assertThat(p.exitValue()).isZero();
        }
    }

    @Test
    void genkeyOutputReachesStdout() throws Exception {
        Process p = new ProcessBuilder(BraidProcess.command("genkey")).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(p.getInputStream().readAllBytes()).strip()).hasSize(44);
    }
}
