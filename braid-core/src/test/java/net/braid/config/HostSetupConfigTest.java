package net.braid.config;

import static net.braid.config.TestKeys.ALICE_PRIVATE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostSetupConfigTest {
    private static final String IFACE = "[Interface]\nPrivateKey = " + ALICE_PRIVATE + "\nAddress = 198.18.0.1/24\n";

    @Test
    void absentKeysMeanNothingBeyondTheTun() throws Exception {
        assertThat(ConfigLoader.parse(IFACE, "braid0").iface().host()).isEqualTo(HostSetup.NONE);
    }

    @Test
    void readsEveryKeyAndKeepsHookLinesWhole() throws Exception {
        HostSetup host = ConfigLoader.parse(IFACE + """
                Table = 1234
                FwMark = 0xca6c
                Forward = on
                Masquerade = yes
                PreUp = echo a, b > /tmp/x
                PostUp = ip link set %i mtu 1400
                PostUp = true
                PreDown = logger down %i
                PostDown = false
                """, "braid0").iface().host();
        assertThat(host.table()).isEqualTo(new HostSetup.Table.Numbered(1234));
        assertThat(host.fwMark()).isEqualTo(0xca6c);
        assertThat(host.forward()).isTrue();
        assertThat(host.masquerade()).isTrue();
        assertThat(host.hooks().preUp()).containsExactly("echo a, b > /tmp/x");
        assertThat(host.hooks().postUp()).containsExactly("ip link set %i mtu 1400", "true");
        assertThat(host.hooks().preDown()).containsExactly("logger down %i");
        assertThat(host.hooks().postDown()).containsExactly("false");
    }

    @Test
    void writerAndLoaderAgree() throws Exception {
        TunnelConfig config = ConfigLoader.parse(IFACE + "Table = off\nFwMark = 51820\nMasquerade = on\nPostUp = echo %i up\n", "braid0");
        assertThat(ConfigLoader.parse(ConfigWriter.render(config), null)).isEqualTo(config);
    }

    @Test
    void masqueradeImpliesForwarding() throws Exception {
        HostSetup host = ConfigLoader.parse(IFACE + "Masquerade = on\n", "braid0").iface().host();
        assertThat(host.forward()).isFalse();
        assertThat(host.forwarding()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Table = 0          | Interface.Table invalid: a table number in 1..4294967295; given 0",
        "Table = 255        | Interface.Table invalid: not the kernel's local table; given 255",
        "Table = 253        | Interface.Table invalid: not the kernel's default table; given 253",
        "Table = 4294967296 | Interface.Table invalid: a table number in 1..4294967295; given 4294967296",
        "Table = wan        | Interface.Table invalid: auto, off, main or a table number; given wan",
        "FwMark = 0x1ffffffff | Interface.FwMark invalid: off or a 32-bit number (decimal or 0x hex); given 0x1ffffffff",
        "FwMark = -1        | Interface.FwMark invalid: off or a 32-bit number (decimal or 0x hex); given -1",
        "Forward = maybe    | Interface.Forward invalid: on or off; given maybe",
        "Masquerade =       | Interface.Masquerade invalid: on or off; given nothing",
        "LendAddress = 198.18.9.0/24 | Interface.LendAddress invalid: one address (/32 or /128); given 198.18.9.0/24",
        "KeepLocal = ssh    | Interface.KeepLocal invalid: tcp/PORT or udp/PORT; given ssh",
        "KeepLocal = tcp/0  | Interface.KeepLocal invalid: a port in 1..65535; given tcp/0",
    })
    void badValuesNameKeyRuleAndValue(String line, String message) {
        List<String> errors;
        try {
            ConfigLoader.parse(IFACE + line + "\n", "braid0");
            throw new AssertionError("expected an error for " + line);
        } catch (ConfigException e) {
            errors = e.errors().stream().map(ConfigError::message).toList();
        }
        assertThat(errors).containsExactly(message);
    }

    @Test
    void aLentAddressKeepsSshUnlessToldOtherwiseAndMustReachAPeer() throws Exception {
        String peer = "[Peer]\nPublicKey = " + TestKeys.BOB_PUBLIC + "\nAllowedIPs = 198.18.20.2/32\n";
        HostSetup host = ConfigLoader.parse(IFACE + "ListenPort = 51820\nLendAddress = 198.18.20.2\n" + peer, "braid0").iface().host();
        assertThat(host.lend()).containsExactly(IpPrefix.parse("198.18.20.2/32"));
        assertThat(host.keepLocal()).containsExactly(new HostSetup.LocalPort("tcp", 22));
        assertThat(host.forwarding()).isTrue();
        HostSetup custom = ConfigLoader.parse(IFACE + "ListenPort = 51820\nLendAddress = 198.18.20.2\nKeepLocal = tcp/2222, udp/53\n" + peer,
                "braid0").iface().host();
        assertThat(custom.keepLocal()).containsExactly(new HostSetup.LocalPort("tcp", 2222), new HostSetup.LocalPort("udp", 53));

        try {
            ConfigLoader.parse(IFACE + "LendAddress = 198.18.30.3\n" + peer, "braid0");
            throw new AssertionError("expected errors");
        } catch (ConfigException e) {
            assertThat(e.getMessage()).contains(
                    "Interface.LendAddress invalid: within some peer's AllowedIPs (the tunnel carries it to the client); given 198.18.30.3/32")
                    .contains("Interface.LendAddress invalid: needs a ListenPort, which stays with this host; given 198.18.30.3/32");
        }
    }
}
