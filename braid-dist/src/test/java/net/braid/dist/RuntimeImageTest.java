package net.braid.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The self-contained tree: a trimmed jlink runtime, the jars, and a launcher that finds both. */
class RuntimeImageTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final Distribution dist = Distribution.built();

    @Test
    void runtimeHoldsOnlyTheModulesBraidNeeds() {
        Path java = dist.tree().resolve("runtime/bin/java");
        Set<String> modules = Invocation.check(TIMEOUT, java.toString(), "--list-modules").stdout().lines()
                .map(line -> line.substring(0, line.indexOf('@')))
                .collect(Collectors.toSet());
        assertThat(modules).contains("java.base", "java.logging", "jdk.unsupported")
                .doesNotContain("java.desktop", "jdk.compiler", "jdk.jshell", "jdk.jdi", "java.xml.crypto");
        // jdeps' choice (java.sql, java.naming, jdk.jfr: for Netty and Bouncy Castle), not the JDK's ~70
        assertThat(modules).hasSizeLessThan(16);
    }

    @Test
    void runtimeIsStrippedAndHasAClassDataArchive() {
        Path runtime = dist.tree().resolve("runtime");
        assertThat(runtime.resolve("man")).doesNotExist();
        assertThat(runtime.resolve("include")).doesNotExist();
        assertThat(runtime.resolve("jmods")).doesNotExist();
        assertThat(runtime.resolve("lib/server/classes.jsa")).isRegularFile();
        assertThat(runtime.resolve("lib/server/classes_nocoops.jsa")).doesNotExist();
    }

    @Test
    void launcherRunsBraidOnTheBundledRuntime() {
        Invocation version = Invocation.check(TIMEOUT, dist.launcher().toString(), "--version");
        assertThat(version.stdout()).startsWith("braid " + dist.version() + " (Java 25");
    }

    @Test
    void launcherFindsItsRuntimeThroughASymlink(@TempDir Path dir) throws IOException {
        // /usr/bin/braid is such a link to /usr/lib/braid/bin/braid
        Path link = Files.createSymbolicLink(dir.resolve("braid"), dist.launcher());
        assertThat(Invocation.check(TIMEOUT, link.toString(), "--version").stdout())
                .startsWith("braid " + dist.version());
        Files.delete(link);
    }

    @Test
    void genkeyAndPubkeyWork() {
        String key = Invocation.check(TIMEOUT, dist.launcher().toString(), "genkey").stdout().strip();
        String pub = Invocation.run(TIMEOUT, key + "\n", java.util.List.of(dist.launcher().toString(), "pubkey"))
                .requireSuccess().stdout().strip();
        assertThat(Base64.getDecoder().decode(key)).hasSize(32);
        assertThat(Base64.getDecoder().decode(pub)).hasSize(32);
        assertThat(pub).isNotEqualTo(key);
    }

    @Test
    void tarballHoldsTheTree() {
        Path tarball = dist.out().resolve("braid-" + dist.version() + "-linux-x64.tar.gz");
        Set<String> entries = Invocation.check(TIMEOUT, "tar", "-tzf", tarball.toString()).stdout().lines()
                .collect(Collectors.toSet());
        String top = "braid-" + dist.version() + "/";
        assertThat(entries).contains(top + "bin/braid", top + "runtime/bin/java",
                top + "lib/braid-cli-" + dist.version() + ".jar", top + "share/systemd/braid@.service",
                top + "share/doc/packaging.md");
        assertThat(Arrays.stream(dist.tree().resolve("lib").toFile().list()))
                .allMatch(name -> name.endsWith(".jar"))
                .noneMatch(name -> name.startsWith("junit") || name.startsWith("assertj") || name.startsWith("braid-dist"));
    }
}
