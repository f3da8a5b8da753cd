package net.braid.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The .deb's metadata and file list: names, modes, owners, links. */
class DebPackageTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final Distribution dist = Distribution.built();

    /** One line of {@code dpkg-deb -c}: "drwxr-xr-x root/root 0 2025-01-01 00:00 ./etc/" (and "-> target"). */
    record Entry(String mode, String owner, String path, String linkTarget) {
        static Entry parse(String line) {
            String[] f = line.trim().split("\\s+", 6);
            String rest = f[5];
            int arrow = rest.indexOf(" -> ");
            return arrow < 0 ? new Entry(f[0], f[1], rest, null)
                    : new Entry(f[0], f[1], rest.substring(0, arrow), rest.substring(arrow + 4));
        }
    }

    @BeforeEach
    void needsDpkgDeb() {
        boolean present = Invocation.find("dpkg-deb").isPresent();
        if (!present) System.out.println("skipped DebPackageTest: dpkg-deb is not installed, so no .deb was built");
        Assumptions.assumeTrue(present, "dpkg-deb is not installed");
        assertThat(dist.deb()).isRegularFile();
    }

    @Test
    void controlNamesPackageVersionAndDependencies() {
        String control = Invocation.check(TIMEOUT, "dpkg-deb", "-f", dist.deb().toString()).stdout();
        assertThat(control).contains("Package: braid\n", "Version: 0.1.0~SNAPSHOT\n", "Architecture: amd64\n",
                "Recommends: nftables, iperf3\n");
        assertThat(control).containsPattern("(?m)^Depends: .*\\biproute2\\b");
        assertThat(control).containsPattern("(?m)^Installed-Size: \\d{5,}$");
        assertThat(dist.deb().getFileName().toString()).isEqualTo("braid_0.1.0~SNAPSHOT_amd64.deb");
    }

    @Test
    void filesAreRootOwnedWithTheirModes() {
        Map<String, Entry> entries = Invocation.check(TIMEOUT, "dpkg-deb", "-c", dist.deb().toString()).stdout()
                .lines().map(Entry::parse).collect(Collectors.toMap(Entry::path, Function.identity()));
        assertThat(entries.values()).allSatisfy(e -> {
            assertThat(e.owner()).as(e.path()).isEqualTo("root/root");
            if (!e.mode().startsWith("l")) assertThat(e.mode().charAt(8)).as(e.path() + " world-writable").isEqualTo('-');
        });
        assertThat(entries.get("./etc/braid/").mode()).isEqualTo("drwx------");
        assertThat(entries.get("./usr/bin/braid").linkTarget()).isEqualTo("../lib/braid/bin/braid");
        assertThat(entries.get("./usr/lib/braid/bin/braid").mode()).isEqualTo("-rwxr-xr-x");
        assertThat(entries.get("./usr/lib/braid/runtime/bin/java").mode()).isEqualTo("-rwxr-xr-x");
        assertThat(entries.get("./lib/systemd/system/braid@.service").mode()).isEqualTo("-rw-r--r--");
        assertThat(entries).containsKeys("./usr/lib/braid/lib/braid-cli-" + dist.version() + ".jar",
                "./usr/share/doc/braid/copyright", "./usr/share/doc/braid/packaging.md",
                "./usr/share/doc/braid/examples/braid0.conf");
        assertThat(entries.keySet()).noneMatch(p -> p.startsWith("./usr/lib/braid/runtime/man")
                || p.startsWith("./usr/lib/braid/runtime/include"));
    }

    @Test
    void shipsTheUnitAsWritten() throws Exception {
        String packaged = Files.readString(dist.debRoot().resolve("lib/systemd/system/braid@.service"));
        assertThat(packaged).isEqualTo(Files.readString(dist.unitSource()));
        String info = Invocation.check(TIMEOUT, "dpkg-deb", "--info", dist.deb().toString()).stdout();
        assertThat(info).contains("postinst", "postrm");
    }
}
