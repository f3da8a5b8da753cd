package net.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.security.auth.module.UnixSystem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import net.braid.config.ConfigWriter;
import net.braid.config.Endpoint;
import net.braid.config.InterfaceSection;
import net.braid.config.IpPrefix;
import net.braid.config.PeerSection;
import net.braid.config.TunnelConfig;
import net.braid.config.X25519Key;
import net.braid.crypto.KeyPair;
import net.braid.linux.NetNamespace;
import net.braid.testbed.Host;
import net.braid.testbed.Spawned;
import net.braid.testbed.Testbed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code braid up} refusing to start: a bad configuration (exit 2) or a ListenPort already taken
 * (exit 1). Either way one clear message naming what is wrong, no stack trace, and no TUN left.
 */
@Timeout(60)
class UpFailureTest {

    /**
     * A valid configuration with one value spoiled; the message must name section, key and value.
     * Runs in-process: loading fails before anything touches the kernel. As root it runs inside a
     * namespace of its own all the same, so even a validator that let the value through could not
     * put a TUN into this machine's namespace.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ListenPort = 51820     | ListenPort = 74523          | Interface | ListenPort | 74523",
            "MTU = 1420             | MTU = banana                | Interface | MTU        | banana",
            "Endpoint = 198.18.0.2:51820 | Endpoint = 198.18.0.2:99999 | Peer | Endpoint   | 99999",
            "Address = 198.19.200.1/24 | Address = 198.19.200.1/33 | Interface | Address  | 198.19.200.1/33"})
    void badConfigurationIsReportedByNameWithExitStatus2(String good, String bad, String section, String key, String value,
                                                        @TempDir Path dir) throws Exception {
        String valid = validConfig();
        assertThat(valid).contains(good);
        Path file = dir.resolve("braid0.conf");
        Files.writeString(file, valid.replace(good, bad));

        Outcome outcome = inIsolation(() -> up(file, dir.resolve("ctl")));

        System.out.println("braid up " + bad + " -> exit " + outcome.exit() + ": " + outcome.stderr().strip());
        assertThat(outcome.exit()).isEqualTo(UserError.CONFIG);
        assertThat(outcome.stderr()).contains(section).contains(key).contains(value);
        assertNoStackTrace(outcome.stderr());
    }

    @Test
    void listenPortAlreadyTakenIsReportedByNumberAndLeavesNoTun() throws Exception {
        NetnsRequirement.assume("port-taken test");
        try (PortalPair pair = PortalPair.create("itport")) {
            Host right = pair.right();
            pair.startRight(); // holds UDP port 51820 in the right namespace
            Path second = pair.config(right).resolveSibling("second.conf");
            String config = Files.readString(pair.config(right));
            assertThat(config).contains("Name = braid0");
            Files.writeString(second, config.replace("Name = braid0", "Name = braid1"));

            Spawned up = right.spawn(BraidProcess.command("up", second.toString(), "--control-dir", pair.controlDir(right).toString()));
            int exit = up.waitFor(Duration.ofSeconds(30));

            System.out.println("second braid up -> exit " + exit + ": " + up.stderr().strip());
            assertThat(exit).isEqualTo(UserError.RUNTIME);
            assertThat(up.stderr()).contains(Integer.toString(PortalPair.PORT)).contains("in use");
            assertNoStackTrace(up.stderr() + up.stdout());
            assertThat(right.exec("ip", "link", "show", "braid1").succeeded()).as("braid1 removed after the failed start").isFalse();
            assertThat(Files.exists(pair.controlDir(right).resolve("braid1.sock"))).isFalse();
            assertThat(pair.process(right).isAlive()).as("the first portal is untouched").isTrue();
            assertThat(TunnelNetnsTest.tunPresent(right)).isTrue();
        }
    }

    /** Seed 003's multi-homing pitfall: a path bound to an address the host no longer has. */
    @Test
    void aPathBoundToAnAddressTheHostLacksIsNamed(@TempDir Path dir) throws Exception {
        NetnsRequirement.assume("vanished Bind address test");
        Path file = dir.resolve("braid0.conf");
        Files.writeString(file, validConfig() + "\n[Path]\nBind = 198.18.77.7\nEndpoint = 198.18.0.2:51820\n");

        Outcome outcome = inIsolation(() -> up(file, dir.resolve("ctl")));

        System.out.println("braid up with a vanished Bind -> exit " + outcome.exit() + ": " + outcome.stderr().strip());
        assertThat(outcome.exit()).isEqualTo(UserError.RUNTIME);
        assertThat(outcome.stderr()).contains("path Bind 198.18.77.7 is not an address of any interface here");
        assertNoStackTrace(outcome.stderr());
    }

    private record Outcome(int exit, String stdout, String stderr) {}

    private interface Run {
        Outcome call() throws Exception;
    }

    private static Outcome up(Path file, Path controlDir) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Braid.execute(new String[] {"up", file.toString(), "--control-dir", controlDir.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(exit, out.toString(), err.toString());
    }

    private static Outcome inIsolation(Run run) throws Exception {
        boolean root = new UnixSystem().getUid() == 0;
        if (!root) return run.call(); // without privileges no TUN can be made anywhere
        NetnsRequirement.assume("bad-config test as root");
        try (Testbed bed = Testbed.create("itconfig")) {
            Host host = bed.host("up");
            return NetNamespace.run(host.namespace(), run::call);
        }
    }

    private static void assertNoStackTrace(String text) {
        assertThat(text).doesNotContain("Exception").doesNotContain("at net.braid").doesNotContain("\tat ");
    }

    private static String validConfig() {
        KeyPair own = KeyPair.generate();
        KeyPair peer = KeyPair.generate();
        return ConfigWriter.render(new TunnelConfig(
                new InterfaceSection(new X25519Key(own.privateKey()), List.of(IpPrefix.parse("198.19.200.1/24")),
                        1420, OptionalInt.of(51820), "braid0", OptionalInt.empty()),
                List.of(new PeerSection(new X25519Key(peer.publicKey()), Optional.of(new Endpoint("198.18.0.2", 51820)),
                        List.of(IpPrefix.parse("198.19.200.2/32"))))));
    }
}
