package net.braid.masque.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import net.braid.config.IpPrefix;
import org.junit.jupiter.api.Test;

/** The proxy's rules without a network: tokens, target policy, Proxy-Status text, CONNECT authorities. */
class ProxyRulesTest {

    @Test
    void bearerTokensMatchExactlyWithACaseInsensitiveScheme() {
        var tokens = AccessTokens.of(Set.of("abc.DEF-123"));
        assertThat(tokens.accepts("Bearer abc.DEF-123")).isTrue();
        assertThat(tokens.accepts("bearer abc.DEF-123")).isTrue();
        assertThat(tokens.accepts("Bearer abc.def-123")).isFalse();
        assertThat(tokens.accepts("Bearer abc.DEF-1234")).isFalse();
        assertThat(tokens.accepts("Basic abc.DEF-123")).isFalse();
        assertThat(tokens.accepts("abc.DEF-123")).isFalse();
        assertThat(tokens.accepts(null)).isFalse();
        assertThatThrownBy(() -> AccessTokens.of(Set.of())).hasMessageContaining("unauthenticated");
        assertThatThrownBy(() -> AccessTokens.of(Set.of("has space"))).hasMessageContaining("RFC 6750");
    }

    @Test
    void defaultPolicyRefusesTheProxysOwnRangesAndTheAllowListOpensExactlyItsPrefixes() throws Exception {
        var strict = TargetPolicy.defaults();
        for (String denied : List.of("127.0.0.1", "10.1.2.3", "172.31.255.255", "192.168.0.1", "169.254.1.1",
                "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::", "::1", "fe80::1", "fd12::1", "ff02::1")) {
            assertThat(strict.refusal(InetAddress.ofLiteral(denied))).as(denied).isPresent();
        }
        for (String permitted : List.of("198.18.0.1", "2001:db8::1", "172.32.0.1")) {
            assertThat(strict.refusal(InetAddress.ofLiteral(permitted))).as(permitted).isEmpty();
        }
        assertThat(strict.refusal(InetAddress.ofLiteral("10.9.9.9")).orElseThrow()).isEqualTo("10.9.9.9 is in 10.0.0.0/8");

        var loopbackOne = TargetPolicy.allowing(List.of(IpPrefix.parse("127.0.0.1/32")));
        assertThat(loopbackOne.refusal(InetAddress.ofLiteral("127.0.0.1"))).isEmpty();
        assertThat(loopbackOne.refusal(InetAddress.ofLiteral("127.0.0.2"))).isPresent();
        assertThat(loopbackOne.refusal(InetAddress.ofLiteral("::1"))).isPresent();
    }

    @Test
    void proxyStatusIsAStructuredFieldWithAnEscapedDetail() {
        assertThat(ProxyStatus.of(ProxyError.DESTINATION_IP_PROHIBITED, null))
                .isEqualTo("braid; error=destination_ip_prohibited");
        assertThat(ProxyStatus.of(ProxyError.DNS_ERROR, "name \"x\\y\" not found\n"))
                .isEqualTo("braid; error=dns_error; details=\"name \\\"x\\\\y\\\" not found?\"");
        assertThat(ProxyStatus.errorOf("braid; error=connection_refused; details=\"a\"")).isEqualTo("connection_refused");
        assertThat(ProxyError.CONNECTION_REFUSED.status()).isEqualTo(502);
        assertThat(ProxyError.DESTINATION_IP_PROHIBITED.status()).isEqualTo(403);
    }

    @Test
    void connectAuthoritiesNeedHostAndPortWithBracketedIpv6() {
        assertThat(ConnectAuthority.parse("example.org:443").host()).isEqualTo("example.org");
        assertThat(ConnectAuthority.parse("[2001:db8::1]:80").host()).isEqualTo("2001:db8::1");
        assertThat(ConnectAuthority.parse("[2001:db8::1]:80").port()).isEqualTo(80);
        assertThat(ConnectAuthority.format("2001:db8::1", 80)).isEqualTo("[2001:db8::1]:80");
        for (String bad : new String[] {"example.org", "example.org:", "2001:db8::1:80", "host:0", "host:65536", "host:x", ":80"}) {
            assertThatThrownBy(() -> ConnectAuthority.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
