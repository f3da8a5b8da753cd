package net.braid.masque.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import net.braid.config.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MasqueTargetTest {

    private static final UriTemplate UDP = UriTemplate.parse("https://proxy.example.org" + UriTemplate.CONNECT_UDP_DEFAULT_PATH);
    private static final UriTemplate IP = UriTemplate.parse("https://proxy.example.org" + UriTemplate.CONNECT_IP_DEFAULT_PATH);

    private static ConnectUdpTarget udp(String path) throws InvalidTargetException {
        return ConnectUdpTarget.fromVariables(UDP.match(path).orElseThrow());
    }

    private static ConnectIpScope ip(String path) throws InvalidTargetException {
        return ConnectIpScope.fromVariables(IP.match(path).orElseThrow());
    }

    @ParameterizedTest
    @CsvSource({
        "/.well-known/masque/udp/192.0.2.6/443/,                  192.0.2.6,           443",
        "/.well-known/masque/udp/2001%3Adb8%3A%3A42/443/,         2001:db8::42,        443",
        "/.well-known/masque/udp/2001%3ADB8%3A0%3A0%3A0%3A0%3A0%3A42/1/, 2001:db8::42, 1",
        "/.well-known/masque/udp/%5B2001%3Adb8%3A%3A42%5D/65535/, 2001:db8::42,        65535",
        "/.well-known/masque/udp/target.example.com/53/,          target.example.com,  53",
        "/.well-known/masque/udp/_srv.example.com./53/,           _srv.example.com.,   53",
    })
    void acceptsConnectUdpTargets(String path, String host, int port) throws InvalidTargetException {
        ConnectUdpTarget t = udp(path);
        assertThat(t).isEqualTo(new ConnectUdpTarget(host, port));
        assertThat(ConnectUdpTarget.fromVariables(UDP.match(t.expand(UDP).substring(25)).orElseThrow())).isEqualTo(t);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/.well-known/masque/udp/192.0.2.6/0/             | target_port: port must be a number 1..65535; given \"0\"",
        "/.well-known/masque/udp/192.0.2.6/65536/         | target_port: port must be a number 1..65535; given \"65536\"",
        "/.well-known/masque/udp/192.0.2.6/+443/          | target_port: port must be a number 1..65535; given \"+443\"",
        "/.well-known/masque/udp/192.0.2.6//              | target_port: port must be a number 1..65535; given \"\"",
        "/.well-known/masque/udp//443/                    | target_host: host must be a DNS name, an IPv4 literal or an IPv6 literal; given \"\"",
        "/.well-known/masque/udp/192.0.2.256/443/         | target_host: IP address expected, like 198.18.0.1 or 2001:db8::1; given \"192.0.2.256\"",
        "/.well-known/masque/udp/fe80%3A%3A1%25eth0/443/  | target_host: IPv6 zone identifiers are not supported; given \"fe80::1%eth0\"",
        "/.well-known/masque/udp/2001%3Adb8%3A%3A%2F32/443/ | target_host: host must be a DNS name, an IPv4 literal or an IPv6 literal; given \"2001:db8::/32\"",
        "/.well-known/masque/udp/bad_-.-example/443/      | target_host: host must be a DNS name, an IPv4 literal or an IPv6 literal; given \"bad_-.-example\"",
        "/.well-known/masque/udp/a%20b/443/               | target_host: host must be a DNS name, an IPv4 literal or an IPv6 literal; given \"a b\"",
    })
    void refusesInvalidConnectUdpTargets(String path, String message) {
        assertThatThrownBy(() -> udp(path)).isInstanceOf(InvalidTargetException.class).hasMessage(message);
    }

    @Test
    void connectUdpTargetKnowsLiteralsFromNames() {
        assertThat(new ConnectUdpTarget("2001:db8::42", 443).isIpLiteral()).isTrue();
        assertThat(new ConnectUdpTarget("192.0.2.6", 443).address().getHostAddress()).isEqualTo("192.0.2.6");
        assertThat(new ConnectUdpTarget("example.com", 443).isIpLiteral()).isFalse();
        assertThatThrownBy(() -> new ConnectUdpTarget("example.com", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void connectIpScopes() throws InvalidTargetException {
        assertThat(ip("/.well-known/masque/ip/*/*/")).isEqualTo(ConnectIpScope.ANY);
        assertThat(ip("/.well-known/masque/ip/target.example.com/17/"))
                .isEqualTo(new ConnectIpScope(new ConnectIpScope.Target.Host("target.example.com"), 17));
        assertThat(ip("/.well-known/masque/ip/192.0.2.0%2F24/*/"))
                .isEqualTo(new ConnectIpScope(new ConnectIpScope.Target.Prefix(IpPrefix.parse("192.0.2.0/24")), ConnectIpScope.ANY_PROTOCOL));
        assertThat(ip("/.well-known/masque/ip/2001%3Adb8%3A%3A42/0/"))
                .isEqualTo(new ConnectIpScope(new ConnectIpScope.Target.Prefix(IpPrefix.parse("2001:db8::42/128")), 0));
        // Both variables absent (a template without them) means any.
        assertThat(ConnectIpScope.fromVariables(Map.of())).isEqualTo(ConnectIpScope.ANY);
    }

    @Test
    void connectIpScopeExpandsAndMatchesBack() throws InvalidTargetException {
        ConnectIpScope prefix = new ConnectIpScope(new ConnectIpScope.Target.Prefix(IpPrefix.parse("2001:db8::/32")), 58);
        String uri = prefix.expand(IP);
        assertThat(uri).isEqualTo("https://proxy.example.org/.well-known/masque/ip/2001%3Adb8%3A%3A%2F32/58/");
        assertThat(ConnectIpScope.fromVariables(IP.match(uri.substring(25)).orElseThrow())).isEqualTo(prefix);
        ConnectIpScope host = new ConnectIpScope(new ConnectIpScope.Target.Prefix(IpPrefix.parse("192.0.2.6")), ConnectIpScope.ANY_PROTOCOL);
        assertThat(host.expand(IP)).isEqualTo("https://proxy.example.org/.well-known/masque/ip/192.0.2.6/*/");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/.well-known/masque/ip/*/256/              | ipproto: ipproto must be * or a number 0..255; given \"256\"",
        "/.well-known/masque/ip/*/tcp/              | ipproto: ipproto must be * or a number 0..255; given \"tcp\"",
        "/.well-known/masque/ip/*//                 | ipproto: ipproto must be * or a number 0..255; given \"\"",
        "/.well-known/masque/ip/192.0.2.0%2F33/*/   | target: prefix length max 32 for IPv4; given \"192.0.2.0/33\"",
        "/.well-known/masque/ip/2001%3Adb8%3A%3A%2F129/*/ | target: prefix length max 128 for IPv6; given \"2001:db8::/129\"",
        "/.well-known/masque/ip/fe80%3A%3A1%25eth0/*/ | target: IPv6 zone identifiers are not supported; given \"fe80::1%eth0\"",
        "/.well-known/masque/ip/192.0.2/*/          | target: IP address expected, like 198.18.0.1 or 2001:db8::1; given \"192.0.2\"",
        "/.well-known/masque/ip/**/*/               | target: target must be *, a DNS name or an IP prefix; given \"**\"",
        "/.well-known/masque/ip//*/                 | target: target must be *, a DNS name or an IP prefix; given \"\"",
    })
    void refusesInvalidConnectIpScopes(String path, String message) {
        assertThatThrownBy(() -> ip(path)).isInstanceOf(InvalidTargetException.class).hasMessage(message);
    }

    @Test
    void variablesRoundTrip() throws InvalidTargetException {
        ConnectIpScope s = new ConnectIpScope(new ConnectIpScope.Target.Host("vpn.example.net"), 6);
        assertThat(ConnectIpScope.fromVariables(new HashMap<>(s.variables()))).isEqualTo(s);
        ConnectUdpTarget u = new ConnectUdpTarget("198.18.0.1", 4433);
        assertThat(ConnectUdpTarget.fromVariables(u.variables())).isEqualTo(u);
    }
}
