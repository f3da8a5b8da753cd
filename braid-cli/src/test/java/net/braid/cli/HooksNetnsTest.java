package net.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import net.braid.crypto.KeyPair;
import net.braid.testbed.Host;
import net.braid.testbed.Spawned;
import net.braid.testbed.Testbed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** wg-quick's four hooks around a real {@code braid up}, and a failing one undoing the start. */
@Timeout(90)
class HooksNetnsTest {
    @TempDir
    Path dir;

    private String config(String extra) {
        KeyPair own = KeyPair.generate();
        KeyPair peer = KeyPair.generate();
        return """
                [Interface]
                Name = braid3
                PrivateKey = %s
                Address = 198.19.220.1/24
                %s
                [Peer]
                PublicKey = %s
                AllowedIPs = 198.19.221.0/24
                """.formatted(Base64.getEncoder().encodeToString(own.privateKey()), extra,
                Base64.getEncoder().encodeToString(peer.publicKey()));
    }

    @Test
    void hooksRunInOrderAroundTheTunWithItsName() throws Exception {
        NetnsRequirement.assume("hooks test");
        Path log = dir.resolve("hooks.log");
        // Each hook writes its name and whether the TUN exists at that moment.
        String probe = "ip link show %i >/dev/null 2>&1 && echo present || echo absent";
        Path conf = dir.resolve("braid3.conf");
        Files.writeString(conf, config("""
                PreUp = echo "pre-up %%i $(%1$s)" >> %2$s
                PostUp = echo "post-up %%i $(%1$s)" >> %2$s
                PostUp = echo "post-up, second line" >> %2$s
                PreDown = echo "pre-down %%i $(%1$s)" >> %2$s
                PostDown = echo "post-down %%i $(%1$s)" >> %2$s
                """.formatted(probe, log)));
        try (Testbed bed = Testbed.create("ithooks")) {
            Host host = bed.host("portal");
            Spawned up = PortalPair.up(host, conf, dir.resolve("ctl"));
            assertThat(host.exec("ip", "-4", "route", "show", "198.19.221.0/24").stdout()).contains("dev braid3");
            up.stop(Duration.ofSeconds(5));
            up.waitFor(Duration.ofSeconds(5));
            assertThat(Files.readAllLines(log)).containsExactly(
                    "pre-up braid3 absent",
                    "post-up braid3 present",
                    "post-up, second line",
                    "pre-down braid3 present",
                    "post-down braid3 absent");
        }
    }

    @Test
    void aFailingPostUpStopsTheStartAndTakesEverythingBack() throws Exception {
        NetnsRequirement.assume("hooks test", "nft");
        Path conf = dir.resolve("braid3.conf");
        Files.writeString(conf, config("Masquerade = on\nPostUp = exit 3\n"));
        try (Testbed bed = Testbed.create("ithookfail")) {
            Host host = bed.host("portal");
            String forwardingBefore = host.run("sysctl", "net.ipv4.ip_forward").stdout();
            Spawned up = host.spawn(BraidProcess.command("up", conf.toString(), "--control-dir", dir.resolve("ctl").toString()));
            int exit = up.waitFor(Duration.ofSeconds(30));

            assertThat(exit).isEqualTo(UserError.RUNTIME);
            assertThat(up.stderr()).contains("PostUp command failed (exit 3): exit 3").doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(host.exec("ip", "link", "show", "braid3").succeeded()).as("TUN removed").isFalse();
            assertThat(host.run("nft", "list", "ruleset").stdout()).doesNotContain("braid_braid3");
            assertThat(host.run("sysctl", "net.ipv4.ip_forward").stdout()).isEqualTo(forwardingBefore);
            assertThat(Files.exists(Portal.journal(dir.resolve("ctl"), "braid3"))).as("journal removed").isFalse();
        }
    }
}
