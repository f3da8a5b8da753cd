package net.braid.config;

import static net.braid.config.TestKeys.ALICE_PRIVATE;
import static net.braid.config.TestKeys.BOB_PUBLIC;
import static net.braid.config.TestKeys.CAROL_PUBLIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathConfigTest {

    @TempDir
    Path dir;

    private static final String IFACE = "[Interface]\nPrivateKey = " + ALICE_PRIVATE
            + "\nAddress = 198.18.0.1/24\nListenPort = 51820\n";
    private static final String PEER = "[Peer]\nPublicKey = " + BOB_PUBLIC + "\n";
    /** A first path that is always fine, so the one under test is Path[2]. */
    private static final String PATH_1 = "[Path]\nBind = eth0\nEndpoint = 198.18.0.2:51820\n";

    private static TunnelConfig parse(String text) throws ConfigException {
        return ConfigLoader.parse(text, "braid0");
    }

    private static List<String> errors(String text) {
        try {
            parse(text);
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::message).toList();
        }
        throw new AssertionError("expected a ConfigException for:\n" + text);
    }

    private static PathSection path(Transport transport, String bind, String endpoint, int metric) {
        return new PathSection(transport, Optional.ofNullable(bind).map(Bind::parse),
                Optional.ofNullable(endpoint).map(Endpoint::parse), metric);
    }

    @Test
    void pathsBelongToThePeerAboveThem() throws Exception {
        TunnelConfig config = parse(IFACE + """
                [Peer]
                PublicKey = %s
                AllowedIPs = 198.18.1.0/24

                [Path]  # fibre
                Transport = UDP
                Bind = 198.18.0.1
                Endpoint = portal-b.example:51820

                [Path]  # LTE, only when the fibre is gone
                transport = tcp
                bind = wwan0.2
                endpoint = [2001:DB8::0002]:443
                Metric = 200

                [Path]  # the other side dials in over its second uplink
                """.formatted(BOB_PUBLIC));
        PeerSection peer = config.peers().getFirst();
        List<PathSection> expected = List.of(
                new PathSection(Transport.UDP, Optional.of(new Bind.Address(InetAddress.getByName("198.18.0.1"))),
                        Optional.of(new Endpoint("portal-b.example", 51820)), 0),
                new PathSection(Transport.TCP, Optional.of(new Bind.Device("wwan0.2")),
                        Optional.of(new Endpoint("2001:db8::2", 443)), 200),
                new PathSection(Transport.UDP, Optional.empty(), Optional.empty(), 0));
        assertThat(peer.declaredPaths()).isEqualTo(expected);
        assertThat(peer.paths()).isEqualTo(expected);
        assertThat(peer.endpoint()).isEmpty();
        assertThat(peer.allowedIps()).containsExactly(IpPrefix.parse("198.18.1.0/24"));
        // A host name stays a name, to be resolved on every (re)connect.
        assertThat(peer.paths().getFirst().endpoint().orElseThrow().isLiteral()).isFalse();
        assertThat(peer.paths().get(2).accepts()).isTrue();
    }

    @Test
    void withoutPathsTheEndpointIsTheOneUdpPath() throws Exception {
        PeerSection dialing = parse(IFACE + PEER + "Endpoint = 198.18.0.2:51820\n").peers().getFirst();
        assertThat(dialing.declaredPaths()).isEmpty();
        assertThat(dialing.paths()).containsExactly(path(Transport.UDP, null, "198.18.0.2:51820", 0));
        PeerSection accepting = parse(IFACE + PEER).peers().getFirst();
        assertThat(accepting.paths()).containsExactly(path(Transport.UDP, null, null, 0));
        assertThat(accepting.paths().getFirst().accepts()).isTrue();
    }

    @Test
    void anEndpointBesidePathsIsOneMoreUdpPathListedLast() throws Exception {
        PeerSection peer = parse(IFACE + PEER + "Endpoint = 198.18.0.2:51820\n"
                + "[Path]\nTransport = tcp\nEndpoint = 198.18.0.2:443\n").peers().getFirst();
        assertThat(peer.declaredPaths()).containsExactly(path(Transport.TCP, null, "198.18.0.2:443", 0));
        assertThat(peer.paths()).containsExactly(
                path(Transport.TCP, null, "198.18.0.2:443", 0),
                path(Transport.UDP, null, "198.18.0.2:51820", 0));
    }

    // Every rule of one path, with the exact message; the path under test is the second.
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Endpoint = 198.18.0.2:74523     | Path[2].Endpoint invalid: port max 65535; given 74523",
        "Endpoint = 198.18.0.2           | Path[2].Endpoint invalid: host:port expected; given 198.18.0.2",
        "Transport = quic                | Path[2].Transport invalid: udp or tcp expected; given quic",
        "Transport =                     | Path[2].Transport invalid: udp or tcp expected; given nothing",
        "Metric = 256                    | Path[2].Metric invalid: max 255; given 256",
        "Metric = -1                     | Path[2].Metric invalid: min 0; given -1",
        "Metric = low                    | Path[2].Metric invalid: whole number expected; given low",
        "Bind = 198.18.0.300             | Path[2].Bind invalid: IP address expected, like 198.18.0.1 or 2001:db8::1; given 198.18.0.300",
        "Bind = fe80::1%eth0             | Path[2].Bind invalid: IPv6 zone index not allowed; given fe80::1%eth0",
        "Bind = enp0s31f6-uplink         | Path[2].Bind invalid: IP address or interface name (A-Z a-z 0-9 _ . -, 1 to 15 characters) expected; given enp0s31f6-uplink",
        "Bind = eth/0                    | Path[2].Bind invalid: IP address or interface name (A-Z a-z 0-9 _ . -, 1 to 15 characters) expected; given eth/0",
        "Bind = ..                       | Path[2].Bind invalid: IP address or interface name (A-Z a-z 0-9 _ . -, 1 to 15 characters) expected; given ..",
        "Bind =                          | Path[2].Bind invalid: IP address or interface name (A-Z a-z 0-9 _ . -, 1 to 15 characters) expected; given nothing",
        "Bind = 2001:db8::1\\nEndpoint = 198.18.0.2:1 | Path[2].Bind invalid: IPv6 address cannot reach the IPv4 Endpoint 198.18.0.2:1; given 2001:db8::1",
        "Bind = 198.18.0.1\\nEndpoint = [2001:db8::2]:1 | Path[2].Bind invalid: IPv4 address cannot reach the IPv6 Endpoint [2001:db8::2]:1; given 198.18.0.1",
        "Weight = 3                      | unknown key [Path] Weight at line 11",
        "Metric = 1\\nmetric = 2         | duplicate key [Path] metric at line 12; first at line 11",
        "Bind = eth0\\nEndpoint = 198.18.0.2:51820 | Path[2] invalid: same Transport, Bind and Endpoint as Path[1]",
    })
    void pathRulesNameThePathByIndex(String lines, String message) {
        assertThat(errors(IFACE + PEER + PATH_1 + "[Path]\n" + lines.replace("\\n", "\n") + "\n"))
                .containsExactly(message);
    }

    @Test
    void aPathThatRepeatsThePeersEndpointIsRefused() {
        assertThat(errors(IFACE + PEER + "Endpoint = 198.18.0.2:51820\n[Path]\nEndpoint = 198.18.0.2:51820\n"))
                .containsExactly("Path[1] invalid: same Transport, Bind and Endpoint as the peer's Endpoint");
        // Another transport or another Bind to the same remote is another path.
        assertThat(errors(IFACE + PEER + "Endpoint = 198.18.0.2:51820\n[Path]\nTransport = tcp\n"
                + "Endpoint = 198.18.0.2:51820\n" + "[Path]\nBind = eth1\nEndpoint = 198.18.0.2:51820\n"
                + "[Path]\n[Path]\n"))
                .containsExactly("Path[4] invalid: same Transport, Bind and Endpoint as Path[3]");
    }

    @Test
    void withSeveralPeersThePathNamesItsPeer() {
        assertThat(errors(IFACE + PEER + "AllowedIPs = 198.18.1.0/24\n" + PATH_1
                + "[Peer]\nPublicKey = " + CAROL_PUBLIC + "\nAllowedIPs = 198.18.2.0/24\n"
                + "[Path]\nEndpoint = 198.18.0.3:1\n[Path]\nEndpoint = 198.18.0.3:74523\nMetric = 300\n"))
                .containsExactly("Peer[2].Path[2].Endpoint invalid: port max 65535; given 74523",
                        "Peer[2].Path[2].Metric invalid: max 255; given 300");
    }

    @Test
    void aPathMustFollowAPeerOrAnotherPath() {
        assertThat(errors("[Path]\nTransport = udp\n" + IFACE))
                .contains("[Path] at line 1 does not follow a [Peer]: a [Path] belongs to the [Peer] above it");
        assertThat(errors(PEER + IFACE + "[Path]\n"))
                .containsExactly("[Path] at line 7 does not follow a [Peer]: a [Path] belongs to the [Peer] above it");
        assertThat(errors(IFACE + PEER + "[Colour]\n[path]\n")).containsExactly(
                "unknown section [Colour] at line 7",
                "[path] at line 8 does not follow a [Peer]: a [Path] belongs to the [Peer] above it");
    }

    @Test
    void aTcpPathThatAcceptsNeedsAListenPort() throws Exception {
        String noPort = "[Interface]\nPrivateKey = " + ALICE_PRIVATE + "\nAddress = 198.18.0.1/24\n";
        String tcpAccept = "[Path]\nTransport = tcp\n";
        String message = "Path[2].Transport invalid: tcp without Endpoint accepts on Interface.ListenPort, which is not set; given tcp";
        assertThat(errors(noPort + PEER + PATH_1 + tcpAccept)).containsExactly(message);
        assertThat(errors(noPort + "ListenPort = 0\n" + PEER + PATH_1 + tcpAccept)).containsExactly(message);
        // An invalid ListenPort is reported once, not again as missing.
        assertThat(errors(noPort + "ListenPort = 99999\n" + PEER + PATH_1 + tcpAccept))
                .containsExactly("Interface.ListenPort invalid: max 65535; given 99999");
        // The rule holds even when another part of [Interface] failed.
        assertThat(errors(noPort + "MTU = 1\n" + PEER + PATH_1 + tcpAccept))
                .containsExactly("Interface.MTU invalid: min 576; given 1", message);

        assertThat(parse(IFACE + PEER + PATH_1 + tcpAccept).peers().getFirst().paths().get(1).accepts()).isTrue();
        // Dialling out over TCP, or accepting over UDP on an ephemeral port, needs no ListenPort.
        parse(noPort + PEER + "[Path]\nTransport = tcp\nEndpoint = 198.18.0.2:443\n[Path]\n");
    }

    @Test
    void bindTellsAddressesFromInterfaceNames() throws Exception {
        assertThat(Bind.parse("eth0")).isEqualTo(new Bind.Device("eth0"));
        assertThat(Bind.parse("br-lan_2.10")).isEqualTo(new Bind.Device("br-lan_2.10"));
        assertThat(Bind.parse(" 198.18.0.9 ")).isEqualTo(new Bind.Address(InetAddress.getByName("198.18.0.9")));
        assertThat(Bind.parse("2001:DB8:0::9")).hasToString("2001:db8::9");
        assertThat(Bind.parse("::")).hasToString("::");
        assertThatThrownBy(() -> Bind.parse("2001:db8::1]")).isInstanceOf(InvalidValueException.class)
                .hasMessage("IP address expected without brackets; given 2001:db8::1]");
        assertThatThrownBy(() -> Bind.parse("1.2.3")).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void modelConstructorsRefuseWhatTheLoaderRefuses() {
        assertThatThrownBy(() -> path(Transport.UDP, null, null, 256)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Path.Metric invalid: max 255; given 256");
        assertThatThrownBy(() -> path(Transport.UDP, "2001:db8::1", "198.18.0.2:1", 0))
                .hasMessage("Path.Bind invalid: IPv6 address cannot reach the IPv4 Endpoint 198.18.0.2:1; given 2001:db8::1");
        var bob = TestKeys.key(BOB_PUBLIC);
        var udpToB = path(Transport.UDP, null, "198.18.0.2:51820", 0);
        assertThatThrownBy(() -> new PeerSection(bob, Optional.of(Endpoint.parse("198.18.0.2:51820")), List.of(),
                OptionalInt.empty(), List.of(udpToB)))
                .hasMessage("Path[1] invalid: same Transport, Bind and Endpoint as the peer's Endpoint");
        var tcpAccept = new PeerSection(bob, Optional.empty(), List.of(), OptionalInt.empty(),
                List.of(udpToB, path(Transport.TCP, "eth1", null, 0)));
        var iface = new InterfaceSection(TestKeys.key(ALICE_PRIVATE), List.of(IpPrefix.parse("198.18.0.1/24")), "braid0");
        assertThatThrownBy(() -> new TunnelConfig(iface, List.of(tcpAccept))).hasMessage(
                "Path[2].Transport invalid: tcp without Endpoint accepts on Interface.ListenPort, which is not set; given tcp");
        var listening = new InterfaceSection(TestKeys.key(ALICE_PRIVATE), List.of(IpPrefix.parse("198.18.0.1/24")),
                1420, OptionalInt.of(51820), "braid0", OptionalInt.empty());
        assertThat(new TunnelConfig(listening, List.of(tcpAccept)).peers().getFirst().paths()).hasSize(2);
    }

    private static TunnelConfig bonded() {
        var iface = new InterfaceSection(TestKeys.key(ALICE_PRIVATE), List.of(IpPrefix.parse("198.18.0.1/24")),
                1420, OptionalInt.of(51820), "braid-a", OptionalInt.empty());
        var b = new PeerSection(TestKeys.key(BOB_PUBLIC), Optional.of(Endpoint.parse("portal-b.example:51820")),
                List.of(IpPrefix.parse("198.18.1.0/24")), OptionalInt.empty(), List.of(
                        path(Transport.UDP, "198.18.0.1", "198.18.0.2:51820", 0),
                        path(Transport.TCP, "wwan0", "[2001:db8::2]:443", 10),
                        path(Transport.TCP, null, null, 255)));
        var c = new PeerSection(TestKeys.key(CAROL_PUBLIC), Optional.empty(), List.of(IpPrefix.parse("198.18.2.0/24")));
        return new TunnelConfig(iface, List.of(b, c));
    }

    @Test
    void theWriterRendersPathsAfterTheirPeer() {
        assertThat(ConfigWriter.render(bonded())).endsWith("""
                [Peer]
                PublicKey = %s
                Endpoint = portal-b.example:51820
                AllowedIPs = 198.18.1.0/24

                [Path]
                Transport = udp
                Bind = 198.18.0.1
                Endpoint = 198.18.0.2:51820

                [Path]
                Transport = tcp
                Bind = wwan0
                Endpoint = [2001:db8::2]:443
                Metric = 10

                [Path]
                Transport = tcp
                Metric = 255

                [Peer]
                PublicKey = %s
                AllowedIPs = 198.18.2.0/24
                """.formatted(BOB_PUBLIC, CAROL_PUBLIC));
    }

    @Test
    void pathsRoundTripThroughAFile() throws Exception {
        TunnelConfig config = bonded();
        Path file = dir.resolve("bonded.conf");
        ConfigWriter.write(config, file);
        TunnelConfig loaded = ConfigLoader.load(file);
        assertThat(loaded).isEqualTo(config);
        assertThat(loaded.peers().getFirst().paths()).hasSize(4);
    }
}
