package net.braid.cli.ipegress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import net.braid.cli.proxy.ProxyFile;
import net.braid.cli.proxy.ProxySettings;
import net.braid.config.ConfigError;
import net.braid.config.ConfigException;
import net.braid.config.IpPrefix;
import org.junit.jupiter.api.Test;

class ConnectIpSectionTest {
    static final String PROXY = "[Proxy]\nListen = 198.18.0.1:443\nToken = t0k\nAllowTarget = 10.1.0.0/16\n";

    @Test
    void aProxyFileWithoutTheSectionRefusesConnectIp() throws Exception {
        assertThat(ProxyFile.parse(PROXY, Path.of(".")).connectIp()).isNull();
    }

    @Test
    void readsTheSectionWithAllowTargetFromProxy() throws Exception {
        ProxySettings s = ProxyFile.parse(PROXY + """
                [ConnectIp]
                Pool = 198.19.230.7/24, 2001:db8:230::/64
                Tun = ip7
                Mtu = 1400
                Masquerade = off
                """, Path.of("."));
        assertThat(s.connectIp()).isEqualTo(new ConnectIpSettings(
                List.of(IpPrefix.parse("198.19.230.0/24"), IpPrefix.parse("2001:db8:230::/64")), "ip7", 1400, false,
                List.of(IpPrefix.parse("10.1.0.0/16"))));
    }

    @Test
    void defaults() throws Exception {
        ConnectIpSettings s = ProxyFile.parse(PROXY + "[ConnectIp]\nPool = 198.19.230.0/24\n", Path.of(".")).connectIp();
        assertThat(s.tun()).isEqualTo("braid-ip0");
        assertThat(s.mtu()).isEqualTo(1500);
        assertThat(s.masquerade()).isTrue();
    }

    @Test
    void reportsEveryProblem() {
        assertThatThrownBy(() -> ProxyFile.parse(PROXY + """
                [ConnectIp]
                Pool = 198.19.230.0/31, 198.19.0.0/16, 198.20.0.0/16, 2001:db8::/200
                Mtu = 1279
                Masquerade = maybe
                Tun = way-too-long-a-name
                """, Path.of("."))).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors())
                .extracting(ConfigError::message).containsExactly(
                        "ConnectIp.Pool invalid: a prefix of /30 or shorter expected: the first address is the proxy's,"
                                + " and clients need the others; given 198.19.230.0/31",
                        "ConnectIp.Pool invalid: one prefix per IP version; given 198.20.0.0/16",
                        "ConnectIp.Pool invalid: prefix length max 128 for IPv6; given 2001:db8::/200",
                        "ConnectIp.Tun invalid: an interface name of 1 to 15 printable characters without '/', ':' or spaces"
                                + " expected; given way-too-long-a-name",
                        "ConnectIp.Mtu invalid: a whole number 1280..65535 expected; given 1279",
                        "ConnectIp.Masquerade invalid: on or off expected; given maybe"));
        assertThatThrownBy(() -> ProxyFile.parse(PROXY + "[ConnectIp]\nTun = x\n", Path.of(".")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::key).containsExactly("Pool"));
    }
}
