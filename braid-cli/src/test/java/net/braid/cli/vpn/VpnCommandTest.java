package net.braid.cli.vpn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import net.braid.cli.Braid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code braid vpn} refusing bad input before it touches the host: exit 2, messages, no stack trace. */
class VpnCommandTest {
    @TempDir Path dir;

    int run(StringWriter err, String... args) {
        return Braid.execute(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    }

    @Test
    void aBadFileExitsTwoWithEveryProblem() throws Exception {
        Path file = Files.writeString(dir.resolve("home.conf"), "[Vpn]\nProxy = proxy.example:0\nToken = t\nMtu = 9\n");
        StringWriter err = new StringWriter();
        assertThat(run(err, "vpn", file.toString(), "--control-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("braid: configuration has errors:")
                .contains("Vpn.Proxy invalid: port min 1; given 0")
                .contains("Vpn.PinnedKey missing")
                .contains("Vpn.Mtu invalid: a whole number 1280..65535 expected; given 9")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aMissingFileExitsTwo() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "vpn", dir.resolve("nope.conf").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("does not exist").doesNotContain("\tat ");
    }
}
