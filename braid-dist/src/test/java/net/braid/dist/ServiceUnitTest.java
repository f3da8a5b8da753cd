package net.braid.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * braid@.service: the hardening it promises, and what systemd itself says of it. That the
 * capability set really suffices for `braid up` is {@link UnprivilegedUpTest}'s job.
 */
class ServiceUnitTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final Distribution dist = Distribution.built();

    /** The [Service] section's settings, each key with its values in file order. */
    private Map<String, List<String>> service() throws IOException {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        String section = "";
        for (String raw : Files.readAllLines(dist.unitSource())) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("[")) {
                section = line;
            } else if (section.equals("[Service]")) {
                int eq = line.indexOf('=');
                settings.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
            }
        }
        return settings;
    }

    @Test
    void startsTheNamedTunnelFromItsCredentialCopy() throws IOException {
        var s = service();
        assertThat(s.get("LoadCredential")).containsExactly("%i.conf:/etc/braid/%i.conf");
        assertThat(s.get("ExecStart")).containsExactly("/usr/bin/braid up %d/%i.conf");
        assertThat(s.get("Restart")).containsExactly("on-failure");
        assertThat(s.get("RuntimeDirectory")).containsExactly("braid");
        assertThat(s.get("RuntimeDirectoryPreserve")).containsExactly("yes");
    }

    @Test
    void holdsCapNetAdminAndNothingElse() throws IOException {
        var s = service();
        assertThat(s.get("DynamicUser")).containsExactly("yes");
        assertThat(s.get("CapabilityBoundingSet")).containsExactly("CAP_NET_ADMIN");
        assertThat(s.get("AmbientCapabilities")).containsExactly("CAP_NET_ADMIN");
        assertThat(s.get("NoNewPrivileges")).containsExactly("yes");
        assertThat(s.get("User")).containsExactly("braid");
        assertThat(s).doesNotContainKeys("PrivateUsers", "PrivateNetwork", "Group");
    }

    @Test
    void confinesFilesDevicesAndSystemCalls() throws IOException {
        var s = service();
        assertThat(s.get("ProtectSystem")).containsExactly("strict");
        assertThat(s.get("ProtectHome")).containsExactly("yes");
        assertThat(s.get("PrivateDevices")).containsExactly("no");
        assertThat(s.get("DevicePolicy")).containsExactly("closed");
        assertThat(s.get("DeviceAllow")).containsExactly("/dev/net/tun rw");
        assertThat(s.get("RestrictAddressFamilies")).containsExactly("AF_INET AF_INET6 AF_NETLINK AF_UNIX");
        assertThat(s.get("SystemCallFilter")).contains("@system-service");
        // the JIT needs memory that is written, then executed
        assertThat(s).doesNotContainKey("MemoryDenyWriteExecute");
    }

    /** A copy whose ExecStart names the built launcher, which systemd-analyze requires to exist. */
    private Path runnableCopy(Path dir) throws IOException {
        String unit = Files.readString(dist.unitSource())
                .replace("ExecStart=/usr/bin/braid", "ExecStart=" + dist.launcher());
        return Files.writeString(dir.resolve("braid@braidt0.service"), unit);
    }

    @Test
    void systemdVerifiesTheUnitWithoutComplaint(@TempDir Path dir) throws IOException {
        assumeSystemdAnalyze();
        Invocation verify = Invocation.run(TIMEOUT, "systemd-analyze", "verify", runnableCopy(dir).toString());
        assertThat(verify.exit()).as(verify.stderr()).isZero();
        assertThat(verify.stderr()).isEmpty();
    }

    @Test
    void systemdRatesTheExposureLow(@TempDir Path dir) throws IOException {
        assumeSystemdAnalyze();
        Invocation security = Invocation.run(TIMEOUT, "systemd-analyze", "security", "--offline=yes",
                "--no-pager", runnableCopy(dir).toString());
        Matcher m = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d)").matcher(security.stdout());
        Assumptions.assumeTrue(m.find(), "this systemd-analyze cannot rate units offline: " + security.stderr());
        System.out.println("systemd-analyze security: braid@.service exposure " + m.group(1) + " (0 safe .. 10 exposed)");
        assertThat(Double.parseDouble(m.group(1))).isLessThanOrEqualTo(2.5);
    }

    private static void assumeSystemdAnalyze() {
        boolean present = Invocation.find("systemd-analyze").isPresent();
        if (!present) System.out.println("skipped ServiceUnitTest check: systemd-analyze is not installed");
        Assumptions.assumeTrue(present, "systemd-analyze is not installed");
    }
}
