package net.braid.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.braid.testbed.Host;
import net.braid.testbed.Spawned;
import net.braid.testbed.Testbed;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `braid up` from the built tree with the identity braid@.service gives it: an unprivileged
 * user (nobody, standing for the DynamicUser) holding only CAP_NET_ADMIN, bounding set and
 * ambient, with no_new_privs; set up by setpriv inside a test namespace. The TUN, its
 * addresses and routes (made by the `ip` child) must appear; without the ambient capability
 * braid must fail.
 */
class UnprivilegedUpTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int NOBODY = 65534;
    private static final String CAP_NET_ADMIN_ONLY = "0000000000001000"; // bit 12
    private final Distribution dist = Distribution.built();

    @BeforeEach
    void needsNamespacesAndSetpriv() {
        Optional<String> reason = Testbed.available();
        if (reason.isEmpty() && !Files.exists(Path.of("/dev/net/tun"))) reason = Optional.of("no /dev/net/tun");
        if (reason.isEmpty() && Invocation.find("setpriv").isEmpty()) reason = Optional.of("setpriv (util-linux) is missing");
        Optional<String> skip = reason;
        skip.ifPresent(r -> System.out.println("skipped UnprivilegedUpTest: " + r));
        Assumptions.assumeTrue(skip.isEmpty(), () -> skip.orElseThrow());
    }

    /** A copy of the tree, a config and a control folder that nobody can read, in a 0755 folder. */
    private record Setup(Path launcher, Path config, Path control) {}

    private Setup setUp(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path tree = dir.resolve("braid");
        Invocation.check(TIMEOUT, "cp", "-a", dist.tree().toString(), tree.toString());
        String key = Invocation.check(TIMEOUT, tree.resolve("bin/braid").toString(), "genkey").stdout().strip();
        String peerKey = Invocation.check(TIMEOUT, tree.resolve("bin/braid").toString(), "genkey").stdout().strip();
        String peerPub = Invocation.run(TIMEOUT, peerKey + "\n", List.of(tree.resolve("bin/braid").toString(), "pubkey"))
                .requireSuccess().stdout().strip();
        Path config = Files.writeString(dir.resolve("braidu0.conf"), """
                [Interface]
                PrivateKey = %s
                Address = 198.18.250.1/24, 2001:db8:250::1/64
                ListenPort = 51999

                [Peer]
                PublicKey = %s
                AllowedIPs = 198.18.251.0/24, 2001:db8:251::/64
                """.formatted(key, peerPub));
        Path control = Files.createDirectory(dir.resolve("run"));
        Files.setAttribute(control, "unix:uid", NOBODY);
        Files.setAttribute(control, "unix:gid", NOBODY);
        return new Setup(tree.resolve("bin/braid"), config, control);
    }

    private static List<String> asNobody(boolean ambient, Setup s) {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", "--bounding-set=-all,+net_admin", "--no-new-privs"));
        if (ambient) command.addAll(List.of("--inh-caps=-all,+net_admin", "--ambient-caps=-all,+net_admin"));
        command.addAll(List.of("--", s.launcher().toString(), "up", s.config().toString(),
                "--control-dir", s.control().toString()));
        return command;
    }

    @Test
    void upWorksWithCapNetAdminAlone(@TempDir Path dir) throws IOException {
        Setup s = setUp(dir);
        try (Testbed bed = Testbed.create("dist")) {
            Host host = bed.host("a");
            Spawned braid = host.spawn(asNobody(true, s));
            braid.awaitOutput("braidu0 up", TIMEOUT);

            String status = javaStatus(braid);
            assertThat(status).containsPattern("(?m)^Uid:\\s+" + NOBODY + "\\s");
            assertThat(status).containsPattern("(?m)^CapEff:\\s+" + CAP_NET_ADMIN_ONLY + "$");
            assertThat(status).containsPattern("(?m)^CapBnd:\\s+" + CAP_NET_ADMIN_ONLY + "$");

            assertThat(host.run("ip", "-o", "addr", "show", "dev", "braidu0").stdout())
                    .contains("198.18.250.1/24", "2001:db8:250::1/64");
            assertThat(host.run("ip", "route", "show", "198.18.251.0/24").stdout()).contains("dev braidu0");
            Path socket = s.control().resolve("braidu0.sock");
            assertThat(Files.getAttribute(socket, "unix:uid")).isEqualTo(NOBODY);
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
                    .isEqualTo("rw-------");

            braid.stop();
            assertThat(host.exec("ip", "link", "show", "braidu0").exitCode()).isNotZero();
        }
    }

    @Test
    void upFailsWithoutTheAmbientCapability(@TempDir Path dir) throws IOException {
        Setup s = setUp(dir);
        try (Testbed bed = Testbed.create("dist")) {
            Host host = bed.host("a");
            Spawned braid = host.spawn(asNobody(false, s));
            assertThat(braid.waitFor(TIMEOUT)).isNotZero();
            assertThat(host.exec("ip", "link", "show", "braidu0").exitCode()).isNotZero();
        }
    }

    /** /proc/PID/status of the JVM (`ip netns exec`, setpriv and the launcher all exec, but look anyway). */
    private static String javaStatus(Spawned spawned) throws IOException {
        ProcessHandle jvm = java.util.stream.Stream.concat(java.util.stream.Stream.of(spawned.handle()),
                        spawned.handle().descendants())
                .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no java process under " + spawned));
        return Files.readString(Path.of("/proc", Long.toString(jvm.pid()), "status"));
    }
}
