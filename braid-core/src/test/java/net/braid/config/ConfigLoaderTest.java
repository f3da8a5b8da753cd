package net.braid.config;

import static net.braid.config.TestKeys.ALICE_PRIVATE;
import static net.braid.config.TestKeys.ALICE_PUBLIC;
import static net.braid.config.TestKeys.BOB_PUBLIC;
import static net.braid.config.TestKeys.CAROL_PUBLIC;
import static net.braid.config.TestKeys.DAVE_PUBLIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private static final String IFACE = "[Interface]\nPrivateKey = " + ALICE_PRIVATE + "\nAddress = 198.18.0.1/24\n";
    private static final String PEER = "[Peer]\nPublicKey = " + BOB_PUBLIC + "\n";

    private static List<String> errors(String text) {
        try {
            ConfigLoader.parse(text, "braid0");
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::message).toList();
        }
        throw new AssertionError("expected a ConfigException for:\n" + text);
    }

    @Test
    void loadsAFullConfigFromAFile() throws Exception {
        Path file = dir.resolve("braid7.conf");
        Files.writeString(file, """
                [Interface]
                PrivateKey = %s
                Address = 198.18.0.1/24, 2001:db8::1/64
                ListenPort = 51820
                MTU = 1380
                PersistentKeepalive = 25

                [Peer]  # portal B, two uplinks
                PublicKey = %s
                Endpoint = portal-b.example:51820
                AllowedIPs = 198.18.1.0/24
                AllowedIPs = 2001:db8:1::/48
                PersistentKeepalive = off

                [Peer]
                PublicKey = %s
                AllowedIPs = 198.18.2.0/24
                """.formatted(ALICE_PRIVATE, BOB_PUBLIC, CAROL_PUBLIC));
        TunnelConfig config = ConfigLoader.load(file);

        InterfaceSection iface = config.iface();
        assertThat(iface.privateKey().toBase64()).isEqualTo(ALICE_PRIVATE);
        assertThat(iface.addresses()).containsExactly(IpPrefix.parse("198.18.0.1/24"), IpPrefix.parse("2001:db8::1/64"));
        assertThat(iface.listenPort()).hasValue(51820);
        assertThat(iface.mtu()).isEqualTo(1380);
        assertThat(iface.name()).isEqualTo("braid7");
        assertThat(iface.persistentKeepalive()).hasValue(25);

        assertThat(config.peers()).hasSize(2);
        PeerSection b = config.peers().get(0);
        assertThat(b.publicKey().toBase64()).isEqualTo(BOB_PUBLIC);
        assertThat(b.endpoint()).contains(new Endpoint("portal-b.example", 51820));
        assertThat(b.allowedIps()).containsExactly(IpPrefix.parse("198.18.1.0/24"), IpPrefix.parse("2001:db8:1::/48"));
        assertThat(config.keepaliveSeconds(b)).isZero();
        PeerSection c = config.peers().get(1);
        assertThat(c.endpoint()).isEmpty();
        assertThat(config.keepaliveSeconds(c)).isEqualTo(25);
    }

    @Test
    void defaultsApplyWhenKeysAreAbsent() throws Exception {
        TunnelConfig config = ConfigLoader.parse(IFACE, "braid0");
        assertThat(config.iface().mtu()).isEqualTo(1420);
        assertThat(config.iface().listenPort()).isEmpty();
        assertThat(config.iface().persistentKeepalive()).isEmpty();
        assertThat(config.iface().name()).isEqualTo("braid0");
        assertThat(config.peers()).isEmpty();
    }

    @Test
    void nameKeyWinsOverTheFileName() throws Exception {
        Path file = dir.resolve("this-name-is-far-too-long.conf");
        Files.writeString(file, IFACE + "name = tun-b\n");
        assertThat(ConfigLoader.load(file).iface().name()).isEqualTo("tun-b");
    }

    @Test
    void aFileNameThatCannotBeATunNameSaysWhereItCameFrom() throws Exception {
        Path file = dir.resolve("this-name-is-far-too-long.conf");
        Files.writeString(file, IFACE);
        assertThatThrownBy(() -> ConfigLoader.load(file)).hasMessage(
                "Interface.Name invalid: at most 15 bytes; given this-name-is-far-too-long (the file's name; set Name to choose another)");
    }

    @Test
    void withoutAFileNameNameIsRequired() {
        assertThatThrownBy(() -> ConfigLoader.parse(IFACE, null)).hasMessage("Interface.Name missing");
    }

    @Test
    void defaultNameDropsConfSuffixOnly() {
        assertThat(ConfigLoader.defaultName(Path.of("/etc/braid/braid0.conf"))).isEqualTo("braid0");
        assertThat(ConfigLoader.defaultName(Path.of("wg.conf.bak"))).isEqualTo("wg.conf.bak");
    }

    // Every single-value rule, with the exact message a user sees.
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "MTU = 575                 | Interface.MTU invalid: min 576; given 575",
        "MTU = 65536               | Interface.MTU invalid: max 65535; given 65536",
        "MTU = 99999999999999999999999 | Interface.MTU invalid: max 65535; given 99999999999999999999999",
        "MTU = 1400 bytes          | Interface.MTU invalid: whole number expected; given 1400 bytes",
        "MTU =                     | Interface.MTU invalid: whole number expected; given nothing",
        "Mtu = -3                  | Interface.Mtu invalid: min 576; given -3",
        "ListenPort = 65536        | Interface.ListenPort invalid: max 65535; given 65536",
        "ListenPort = -1           | Interface.ListenPort invalid: min 0; given -1",
        "PersistentKeepalive = 65536 | Interface.PersistentKeepalive invalid: max 65535; given 65536",
        "PersistentKeepalive = soon  | Interface.PersistentKeepalive invalid: whole number expected; given soon",
        "Name = braid0-portal-west | Interface.Name invalid: at most 15 bytes; given braid0-portal-west",
        "Name = braid/0            | Interface.Name invalid: characters A-Z a-z 0-9 _ . - = + only; given braid/0",
        "Name = brä                | Interface.Name invalid: characters A-Z a-z 0-9 _ . - = + only; given brä",
        "Name = ..                 | Interface.Name invalid: not . or ..; given ..",
        "Name =                    | Interface.Name invalid: at least 1 character; given nothing",
        "Address = 198.18.0.0/33   | Interface.Address invalid: prefix length max 32 for IPv4; given 198.18.0.0/33",
        "Foo = 1                   | unknown key [Interface] Foo at line 4",
        "MTU = 1400\\nmtu = 1300   | duplicate key [Interface] mtu at line 5; first at line 4",
        "PrivateKey = x            | duplicate key [Interface] PrivateKey at line 4; first at line 2",
    })
    void interfaceRules(String extraLines, String message) {
        assertThat(errors(IFACE + extraLines.replace("\\n", "\n") + "\n")).containsExactly(message);
    }

    @Test
    void mtuBelow1280IsRefusedOnlyWithAnIpv6Address() throws Exception {
        assertThat(ConfigLoader.parse(IFACE + "MTU = 1200\n", "braid0").iface().mtu()).isEqualTo(1200);
        assertThat(errors(IFACE + "Address = 2001:db8::1/64\nMTU = 1200\n"))
                .containsExactly("Interface.MTU invalid: at least 1280 with an IPv6 Address; given 1200");
        assertThat(errors(IFACE + "Address = 2001:db8::1/64\nMTU = 500\n"))
                .containsExactly("Interface.MTU invalid: at least 1280 with an IPv6 Address; given 500");
    }

    @Test
    void privateKeyRules() {
        String short31 = Base64.getEncoder().encodeToString(new byte[31]);
        assertThat(errors("[Interface]\nPrivateKey = " + short31 + "\nAddress = 198.18.0.1/24\n"))
                .containsExactly("Interface.PrivateKey invalid: base64 of 32 bytes expected; given 31 bytes");
        assertThat(errors("[Interface]\nPrivateKey = not*base64\nAddress = 198.18.0.1/24\n"))
                .containsExactly("Interface.PrivateKey invalid: base64 of 32 bytes expected; given text that is not base64");
        assertThat(errors("[Interface]\nAddress = 198.18.0.1/24\n")).containsExactly("Interface.PrivateKey missing");
        assertThat(errors("[Interface]\nPrivateKey = " + ALICE_PRIVATE + "\n")).containsExactly("Interface.Address missing");
    }

    @Test
    void sectionRules() {
        assertThat(errors(PEER)).containsExactly("Interface missing");
        assertThat(errors(IFACE + "[Interface]\nMTU = 1\n"))
                .containsExactly("duplicate section [Interface] at line 4; first at line 1");
        assertThat(errors(IFACE + "[Path]\nTransport = udp\n"))
                .containsExactly("[Path] at line 4 does not follow a [Peer]: a [Path] belongs to the [Peer] above it");
        assertThat(errors(IFACE + "[peer]\nPublicKey = " + BOB_PUBLIC + "\nfoo = 1\n"))
                .containsExactly("unknown key [peer] foo at line 6");
    }

    @Test
    void peerRulesNameThePeerWithoutIndexWhenItIsAlone() {
        assertThat(errors(IFACE + PEER + "Endpoint = 198.18.0.2:74523\n"))
                .containsExactly("Peer.Endpoint invalid: port max 65535; given 74523");
        assertThat(errors(IFACE + PEER + "Endpoint = 2001:db8::2:51820\n"))
                .containsExactly("Peer.Endpoint invalid: IPv6 address in brackets expected, like [2001:db8::1]:51820; given 2001:db8::2:51820");
        assertThat(errors(IFACE + PEER + "PersistentKeepalive = 70000\n"))
                .containsExactly("Peer.PersistentKeepalive invalid: max 65535; given 70000");
        assertThat(errors(IFACE + PEER + "AllowedIPs = 198.18.0.0/24, 2001:db8::/129\n"))
                .containsExactly("Peer.AllowedIPs invalid: prefix length max 128 for IPv6; given 2001:db8::/129");
        assertThat(errors(IFACE + "[Peer]\nEndpoint = 198.18.0.2:1\n")).containsExactly("Peer.PublicKey missing");
        assertThat(errors(IFACE + "[Peer]\nPublicKey = AAAA\n"))
                .containsExactly("Peer.PublicKey invalid: base64 of 32 bytes expected; given 3 bytes");
        assertThat(errors(IFACE + PEER + "Endpoint = 198.18.0.2:1\nEndpoint = 198.18.0.3:1\n"))
                .containsExactly("duplicate key [Peer] Endpoint at line 7; first at line 6");
    }

    @Test
    void peersAreIndexedFromOneWhenThereAreSeveral() {
        assertThat(errors(IFACE + PEER + "AllowedIPs = 198.18.1.0/24\n[Peer]\nPublicKey = " + CAROL_PUBLIC
                + "\nAllowedIPs = 198.18.0.0/33\n"))
                .containsExactly("Peer[2].AllowedIPs invalid: prefix length max 32 for IPv4; given 198.18.0.0/33");
    }

    @Test
    void aPeerKeyIsUsedOnce() {
        assertThat(errors(IFACE + PEER + "[Peer]\nPublicKey = " + CAROL_PUBLIC + "\n" + PEER))
                .containsExactly("Peer[3].PublicKey invalid: same key as Peer[1]; given " + BOB_PUBLIC);
    }

    @Test
    void aPeerCannotBeOurselves() {
        assertThat(errors(IFACE + "[Peer]\nPublicKey = " + ALICE_PUBLIC + "\n"))
                .containsExactly("Peer.PublicKey invalid: our own public key, not a peer's; given " + ALICE_PUBLIC);
    }

    @Test
    void twoPeersCannotClaimTheSameAddresses() {
        assertThat(errors(IFACE
                + PEER + "AllowedIPs = 198.18.0.0/24, 2001:db8:1::/48\n"
                + "[Peer]\nPublicKey = " + CAROL_PUBLIC + "\nAllowedIPs = 198.18.1.0/24\n"
                + "[Peer]\nPublicKey = " + DAVE_PUBLIC + "\nAllowedIPs = 198.18.0.128/25, 2001:db8::/32\n"))
                .containsExactly(
                        "Peer[3].AllowedIPs invalid: overlaps 198.18.0.0/24 of Peer[1]; given 198.18.0.128/25",
                        "Peer[3].AllowedIPs invalid: overlaps 2001:db8:1::/48 of Peer[1]; given 2001:db8::/32");
    }

    @Test
    void reportsAllErrorsAtOnce() {
        String text = """
                [Interface]
                PrivateKey = %s
                Address = 2001:db8::1/64, 198.18.0.1/40
                MTU = 1200
                ListenPort = 70000
                Colour = blue
                garbage line

                [Peer]
                PublicKey = %s
                Endpoint = portal-b.example:74523
                AllowedIPs = 198.18.1.0/24

                [Peer]
                PublicKey = %s
                AllowedIPs = 198.18.1.7/32

                [Path]
                Transport = tcp
                Endpoint = portal-b.example:74523
                """.formatted(Base64.getEncoder().encodeToString(new byte[31]), BOB_PUBLIC, BOB_PUBLIC);
        assertThatThrownBy(() -> ConfigLoader.parse(text, "braid0"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
                        new ConfigError("", "", "syntax error at line 7: expected [Section] or Key = Value; given 'garbage line'"),
                        new ConfigError("Interface", "Colour", "unknown key [Interface] Colour at line 6"),
                        new ConfigError("Interface", "PrivateKey", "Interface.PrivateKey invalid: base64 of 32 bytes expected; given 31 bytes"),
                        new ConfigError("Interface", "Address", "Interface.Address invalid: prefix length max 32 for IPv4; given 198.18.0.1/40"),
                        new ConfigError("Interface", "MTU", "Interface.MTU invalid: at least 1280 with an IPv6 Address; given 1200"),
                        new ConfigError("Interface", "ListenPort", "Interface.ListenPort invalid: max 65535; given 70000"),
                        new ConfigError("Peer[1]", "Endpoint", "Peer[1].Endpoint invalid: port max 65535; given 74523"),
                        new ConfigError("Peer[2].Path[1]", "Endpoint", "Peer[2].Path[1].Endpoint invalid: port max 65535; given 74523"),
                        new ConfigError("Peer[2]", "PublicKey", "Peer[2].PublicKey invalid: same key as Peer[1]; given " + BOB_PUBLIC),
                        new ConfigError("Peer[2]", "AllowedIPs", "Peer[2].AllowedIPs invalid: overlaps 198.18.1.0/24 of Peer[1]; given 198.18.1.7/32")))
                .hasMessageContaining("\nInterface.MTU invalid: at least 1280 with an IPv6 Address; given 1200\n");
    }

    @Test
    void aMissingFileNamesThePathAndTheReason() {
        Path file = dir.resolve("absent.conf");
        assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage("cannot read " + file + ": no such file");
    }

    @Test
    void aDirectoryIsNotAConfigFile() {
        assertThatThrownBy(() -> ConfigLoader.load(dir)).hasMessage("cannot read " + dir + ": is a directory");
    }

    @Test
    void anUnreadableFileSaysPermissionDenied() throws Exception {
        Path file = dir.resolve("locked.conf");
        Files.writeString(file, IFACE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        // root reads anything: then the loader must simply succeed.
        if (Files.isReadable(file)) {
            assertThat(ConfigLoader.load(file).iface().name()).isEqualTo("locked");
        } else {
            assertThatThrownBy(() -> ConfigLoader.load(file)).hasMessage("cannot read " + file + ": permission denied");
        }
    }

    @Test
    void aFileThatIsNotUtf8IsNamedAsSuch() throws Exception {
        Path file = dir.resolve("latin1.conf");
        Files.write(file, new byte[] {'[', 'I', ']', '\n', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> ConfigLoader.load(file)).hasMessage("cannot read " + file + ": not UTF-8 text");
    }

    @Test
    void modelConstructorsRefuseWhatTheLoaderRefuses() {
        X25519Key own = TestKeys.key(ALICE_PRIVATE);
        assertThatThrownBy(() -> new InterfaceSection(own, List.of(IpPrefix.parse("2001:db8::1/64")), 1200,
                OptionalInt.of(70000), "braid0", OptionalInt.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Interface.MTU invalid: at least 1280 with an IPv6 Address; given 1200\n"
                        + "Interface.ListenPort invalid: max 65535; given 70000");
        assertThatThrownBy(() -> new InterfaceSection(own, List.of(), "braid0")).hasMessage("Interface.Address missing");
        assertThatThrownBy(() -> new PeerSection(TestKeys.key(BOB_PUBLIC), Optional.empty(), List.of(), OptionalInt.of(-1)))
                .hasMessage("Peer.PersistentKeepalive invalid: min 0; given -1");
        var iface = new InterfaceSection(own, List.of(IpPrefix.parse("198.18.0.1/24")), "braid0");
        var self = new PeerSection(TestKeys.key(ALICE_PUBLIC), Optional.empty(), List.of());
        assertThatThrownBy(() -> new TunnelConfig(iface, List.of(self)))
                .hasMessage("Peer.PublicKey invalid: our own public key, not a peer's; given " + ALICE_PUBLIC);
    }

    @Test
    void modelListsAreImmutableCopies() {
        var addresses = new java.util.ArrayList<>(List.of(IpPrefix.parse("198.18.0.1/24")));
        var iface = new InterfaceSection(TestKeys.key(ALICE_PRIVATE), addresses, "braid0");
        addresses.clear();
        assertThat(iface.addresses()).hasSize(1);
        assertThatThrownBy(() -> iface.addresses().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
