package net.braid.config;

import static net.braid.config.TestKeys.ALICE_PRIVATE;
import static net.braid.config.TestKeys.BOB_PRIVATE;
import static net.braid.config.TestKeys.BOB_PUBLIC;
import static net.braid.config.TestKeys.CAROL_PUBLIC;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWriterTest {

    @TempDir
    Path dir;

    private static TunnelConfig portalA() {
        var iface = new InterfaceSection(TestKeys.key(ALICE_PRIVATE),
                List.of(IpPrefix.parse("198.18.0.1/24"), IpPrefix.parse("2001:db8::1/64")),
                1380, OptionalInt.of(51820), "braid-a", OptionalInt.of(25));
        var b = new PeerSection(TestKeys.key(BOB_PUBLIC), Optional.of(Endpoint.parse("[2001:db8:ff::2]:51821")),
                List.of(IpPrefix.parse("198.18.1.0/24"), IpPrefix.parse("2001:db8:1::/48")), OptionalInt.of(0));
        var c = new PeerSection(TestKeys.key(CAROL_PUBLIC), Optional.empty(), List.of());
        return new TunnelConfig(iface, List.of(b, c));
    }

    @Test
    void rendersWireGuardStyleIni() {
        assertThat(ConfigWriter.render(portalA())).isEqualTo("""
                [Interface]
                Name = braid-a
                PrivateKey = %s
                Address = 198.18.0.1/24, 2001:db8::1/64
                ListenPort = 51820
                MTU = 1380
                PersistentKeepalive = 25

                [Peer]
                PublicKey = %s
                Endpoint = [2001:db8:ff::2]:51821
                AllowedIPs = 198.18.1.0/24, 2001:db8:1::/48
                PersistentKeepalive = 0

                [Peer]
                PublicKey = %s
                """.formatted(ALICE_PRIVATE, BOB_PUBLIC, CAROL_PUBLIC));
    }

    @Test
    void roundTripsThroughAFileWithAnotherName() throws Exception {
        TunnelConfig config = portalA();
        Path file = dir.resolve("other.conf");
        ConfigWriter.write(config, file);
        assertThat(ConfigLoader.load(file)).isEqualTo(config);
    }

    @Test
    void roundTripsAMinimalConfig() throws Exception {
        var iface = new InterfaceSection(TestKeys.key(BOB_PRIVATE), List.of(IpPrefix.parse("198.18.0.2/32")), "b");
        var config = new TunnelConfig(iface, List.of());
        assertThat(ConfigLoader.parse(ConfigWriter.render(config), null)).isEqualTo(config);
    }

    @Test
    void theWrittenFileIsForItsOwnerOnlyAndReplacesAnOldOne() throws Exception {
        Path file = dir.resolve("braid-a.conf");
        Files.writeString(file, "old");
        ConfigWriter.write(portalA(), file);
        assertThat(Files.readString(file)).startsWith("[Interface]\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var listing = Files.list(dir)) {
            assertThat(listing).containsExactly(file);
        }
    }
}
