package net.braid.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The .deb in a fresh Debian 12 (debootstrap minbase + iproute2, no Java): dpkg -i succeeds, and
 * braid runs from /usr/bin on its bundled runtime. The chroot lives in /var/tmp and is deleted
 * afterwards. The java launcher finds its runtime through /proc/self/exe, so each command runs
 * with /proc mounted in a mount namespace of its own (unshare -m): nothing is ever mounted in
 * the host's namespace, and nothing can stay mounted if the test dies. The debootstrapped tree is cached as a tarball per day in
 * /var/tmp/braid-chroot-cache, so only the first run of a day downloads (~30 s); the others
 * unpack it (~5 s). Needs root and debootstrap (installed by bin/setup-tools when missing) and
 * Debian's mirror; skipped with the reason otherwise.
 * Tagged slow: run in CI (CI=true) and with -Dbraid.dist.slow, see braid-dist/pom.xml.
 */
@Tag("slow")
class ChrootInstallTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration BOOTSTRAP_TIMEOUT = Duration.ofMinutes(10);
    private static final Path CACHE = Path.of("/var/tmp/braid-chroot-cache");
    private static final String SUITE = "bookworm";
    private static final String MIRROR = System.getenv().getOrDefault("BRAID_DEBIAN_MIRROR", "http://deb.debian.org/debian");

    private static final Distribution dist = Distribution.built();
    private static Path chroot;

    @BeforeAll
    static void freshChroot() throws IOException {
        Optional<String> reason = unmet();
        if (reason.isEmpty()) {
            try {
                Path tarball = cachedBase();
                chroot = Files.createTempDirectory(Path.of("/var/tmp"), "braid-chroot-");
                Invocation.check(TIMEOUT, "tar", "-C", chroot.toString(), "--numeric-owner", "-xpf", tarball.toString());
            } catch (BootstrapFailed e) {
                reason = Optional.of(e.getMessage());
            }
        }
        Optional<String> skip = reason;
        skip.ifPresent(r -> System.out.println("skipped ChrootInstallTest: " + r));
        Assumptions.assumeTrue(skip.isEmpty(), () -> skip.orElseThrow());
    }

    @AfterAll
    static void removeChroot() {
        if (chroot != null) {
            // --one-file-system: should anything be mounted inside after all, leave it alone
            Invocation.run(TIMEOUT, "rm", "-rf", "--one-file-system", chroot.toString());
        }
    }

    private static Optional<String> unmet() {
        if (!Invocation.root()) return Optional.of("needs root (chroot, dpkg -i)");
        if (Invocation.find("unshare").isEmpty()) return Optional.of("unshare (util-linux) is missing");
        if (Invocation.find("dpkg-deb").isEmpty()) return Optional.of("dpkg-deb is missing, so no .deb was built");
        if (Invocation.find("debootstrap").isEmpty() && Invocation.find("apt-get").isPresent()) {
            System.out.println("ChrootInstallTest: installing debootstrap with bin/setup-tools");
            Invocation.run(Duration.ofMinutes(5), dist.repo().resolve("bin/setup-tools").toString(), "debootstrap");
        }
        if (Invocation.find("debootstrap").isEmpty()) return Optional.of("debootstrap is missing (apt-get install debootstrap)");
        return Optional.empty();
    }

    private static final class BootstrapFailed extends Exception {
        BootstrapFailed(String message) {
            super(message);
        }
    }

    /** Today's minbase tree as a tarball, made by debootstrap when it is not cached yet. */
    private static Path cachedBase() throws IOException, BootstrapFailed {
        Files.createDirectories(CACHE);
        String prefix = SUITE + "-minbase-iproute2-";
        Path tarball = CACHE.resolve(prefix + LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE) + ".tar");
        if (Files.exists(tarball)) return tarball;
        Path build = Files.createTempDirectory(CACHE, "build-");
        try {
            System.out.println("ChrootInstallTest: debootstrap " + SUITE + " from " + MIRROR + " (cached in " + CACHE + ")");
            Invocation boot = Invocation.run(BOOTSTRAP_TIMEOUT, "debootstrap", "--variant=minbase",
                    "--include=iproute2", SUITE, build.toString(), MIRROR);
            if (boot.exit() != 0) {
                String log = boot.stdout() + boot.stderr();
                throw new BootstrapFailed("debootstrap failed (exit " + boot.exit() + "), is " + MIRROR + " reachable? "
                        + log.lines().reduce((a, b) -> b).orElse(""));
            }
            Path partial = CACHE.resolve(tarball.getFileName() + ".partial");
            Invocation.check(TIMEOUT, "tar", "-C", build.toString(), "--numeric-owner", "-cf", partial.toString(), ".");
            Files.move(partial, tarball, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Invocation.run(TIMEOUT, "rm", "-rf", "--one-file-system", build.toString());
        }
        try (Stream<Path> old = Files.list(CACHE)) {
            for (Path p : old.filter(p -> p.getFileName().toString().startsWith(prefix) && !p.equals(tarball)).toList()) {
                Files.deleteIfExists(p);
            }
        }
        return tarball;
    }

    private static Invocation inChroot(String stdin, String... command) {
        List<String> argv = Stream.concat(Stream.of("unshare", "--mount", "--propagation", "private", "--",
                "sh", "-c", "export PATH=/usr/sbin:/usr/bin:/sbin:/bin; mount -t proc proc \"$0/proc\" && exec chroot \"$0\" \"$@\"", chroot.toString()),
                Stream.of(command)).toList();
        return Invocation.run(TIMEOUT, stdin, argv).requireSuccess();
    }

    @Test
    void installsRunsAndPurges() throws IOException {
        assertThat(chroot.resolve("usr/bin/java")).doesNotExist();
        Files.copy(dist.deb(), chroot.resolve("tmp/braid.deb"));
        inChroot("", "dpkg", "-i", "/tmp/braid.deb");
        assertThat(inChroot("", "dpkg-query", "-W", "-f", "${Status} ${Version}", "braid").stdout())
                .isEqualTo("install ok installed " + dist.debVersion());

        assertThat(inChroot("", "/usr/bin/braid", "--version").stdout()).startsWith("braid " + dist.version() + " ");
        assertThat(inChroot("", "sh", "-c", "braid --version").stdout()).startsWith("braid " + dist.version() + " ");

        String key = inChroot("", "/usr/bin/braid", "genkey").stdout();
        String pub = inChroot(key, "/usr/bin/braid", "pubkey").stdout().strip();
        String hostPub = Invocation.run(TIMEOUT, key, List.of(dist.launcher().toString(), "pubkey"))
                .requireSuccess().stdout().strip();
        assertThat(pub).hasSize(44).isEqualTo(hostPub);

        assertThat(inChroot("", "stat", "-c", "%a %U", "/etc/braid").stdout().strip()).isEqualTo("700 root");
        assertThat(chroot.resolve("lib/systemd/system/braid@.service")).isRegularFile();

        inChroot("", "dpkg", "--purge", "braid");
        assertThat(chroot.resolve("usr/lib/braid")).doesNotExist();
        assertThat(chroot.resolve("etc/braid")).doesNotExist();
    }
}
