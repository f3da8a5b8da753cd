package net.braid.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "198.18.0.2:51820              | 198.18.0.2    | 51820 | 198.18.0.2:51820",
        "[2001:DB8:0::2]:443           | 2001:db8::2   | 443   | [2001:db8::2]:443",
        "portal.example.net:1          | portal.example.net | 1 | portal.example.net:1",
        "portal-2.example.:65535       | portal-2.example.  | 65535 | portal-2.example.:65535",
        "localhost:00080               | localhost     | 80    | localhost:80",
    })
    void parses(String text, String host, int port, String canonical) {
        Endpoint endpoint = Endpoint.parse(text);
        assertThat(endpoint.host()).isEqualTo(host);
        assertThat(endpoint.port()).isEqualTo(port);
        assertThat(endpoint.toString()).isEqualTo(canonical);
        assertThat(Endpoint.parse(canonical)).isEqualTo(endpoint);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "198.18.0.2:74523          | port max 65535; given 74523",
        "198.18.0.2:9999999999999  | port max 65535; given 9999999999999",
        "198.18.0.2:0              | port min 1; given 0",
        "198.18.0.2:               | port must be a whole number; given nothing",
        "198.18.0.2:http           | port must be a whole number; given http",
        "198.18.0.2                | host:port expected; given 198.18.0.2",
        "2001:db8::2:51820         | IPv6 address in brackets expected, like [2001:db8::1]:51820; given 2001:db8::2:51820",
        "[2001:db8::2]51820        | [IPv6]:port expected; given [2001:db8::2]51820",
        "[2001:db8::2              | [IPv6]:port expected; given [2001:db8::2",
        "[portal]:1                | IPv6 address expected inside brackets; given portal",
        "[fe80::1%eth0]:1          | IPv6 zone index not allowed; given fe80::1%eth0",
        "256.18.0.2:1              | host name or IP address expected; given 256.18.0.2",
        "bad_host.example:1        | host name or IP address expected; given bad_host.example",
        "-bad.example:1            | host name or IP address expected; given -bad.example",
        ":51820                    | host name or IP address expected; given nothing",
    })
    void refusesWithTheRule(String text, String message) {
        assertThatThrownBy(() -> Endpoint.parse(text)).isInstanceOf(InvalidValueException.class).hasMessage(message);
    }

    @Test
    void emptyTextIsRefused() {
        assertThatThrownBy(() -> Endpoint.parse("  ")).hasMessage("host:port expected; given nothing");
    }

    @Test
    void aHostNameStaysUnresolvedUntilAsked() throws Exception {
        Endpoint endpoint = Endpoint.parse("localhost:51820");
        assertThat(endpoint.isLiteral()).isFalse();
        assertThat(endpoint.literal()).isEmpty();
        InetSocketAddress resolved = endpoint.resolve();
        assertThat(resolved.isUnresolved()).isFalse();
        assertThat(resolved.getAddress().isLoopbackAddress()).isTrue();
        assertThat(resolved.getPort()).isEqualTo(51820);
    }

    @Test
    void literalsResolveWithoutDns() throws Exception {
        Endpoint v6 = Endpoint.parse("[2001:db8::7]:9");
        assertThat(v6.isLiteral()).isTrue();
        assertThat(v6.resolve()).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 9));
        assertThat(Endpoint.of(new InetSocketAddress(InetAddress.getByName("198.18.0.9"), 7))).isEqualTo(Endpoint.parse("198.18.0.9:7"));
    }

    @Test
    void constructorChecksToo() {
        assertThatThrownBy(() -> new Endpoint("198.18.0.1", 70000)).hasMessage("port max 65535; given 70000");
        assertThatThrownBy(() -> new Endpoint("no spaces", 1)).hasMessage("host name or IP address expected; given no spaces");
        assertThat(new Endpoint("2001:DB8::1", 1).host()).isEqualTo("2001:db8::1");
    }
}
