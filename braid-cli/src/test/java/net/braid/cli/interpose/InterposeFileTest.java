package net.braid.cli.interpose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import net.braid.config.ConfigException;
import net.braid.config.IpPrefix;
import net.braid.linux.host.HostChange;
import net.braid.masque.h3.ServerTrust;
import org.junit.jupiter.api.Test;

class InterposeFileTest {
    private static final String PIN = "sha256/" + java.util.Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void readsAFullFile() throws Exception {
        InterposeSettings s = InterposeFile.parse("""
                [Interpose]
                Proxy = 198.18.0.1:4433
                Token = abc
                PinnedKey = %s
                Address = 198.19.250.1/24, 2001:db8:250::1/64
                Route = 0.0.0.0/0, ::/0
                Transport = h2
                UdpIdleTimeout = 30
                """.formatted(PIN), Path.of("."));
        assertThat(s.proxy().port()).isEqualTo(4433);
        assertThat(s.serverName()).isEqualTo("198.18.0.1");
        assertThat(s.trust()).isInstanceOf(ServerTrust.PinnedKeys.class);
        assertThat(s.tun()).isEqualTo("braid-ip0");
        assertThat(s.mtu()).isEqualTo(1500);
        assertThat(s.addresses()).hasSize(2);
        assertThat(s.routes()).containsExactly(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("::/0"));
        assertThat(s.transport()).isEqualTo(MasqueUpstreamDialer.Transport.H2);
        assertThat(s.udpIdleSeconds()).isEqualTo(30);
        assertThat(s.maxTcpFlows()).isEqualTo(4096);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> InterposeFile.parse("""
                [Interpose]
                Token = not a token
                Route = 2001:db8::/32
                Address = 198.19.250.1/24
                Transport = carrier-pigeon
                """, Path.of(".")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Proxy")
                .hasMessageContaining("PinnedKey")
                .hasMessageContaining("RFC 6750")
                .hasMessageContaining("needs an Address of the same IP version")
                .hasMessageContaining("h3, h2 or auto")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not a token"));
    }

    @Test
    void routingKeepsTheProxyOffTheTun() {
        var plan = InterposeRouting.plan("braidip1", List.of(IpPrefix.parse("198.19.250.1/24")),
                List.of(IpPrefix.parse("0.0.0.0/0")), java.net.InetAddress.ofLiteral("198.18.0.1"), 51931);
        assertThat(plan.changes()).map(c -> ((HostChange.Ip) c).apply()).containsExactly(
                List.of("-4", "addr", "add", "198.19.250.1/24", "dev", "braidip1"),
                List.of("-4", "route", "add", "0.0.0.0/0", "dev", "braidip1", "table", "51931"),
                List.of("-4", "rule", "add", "not", "to", "198.18.0.1/32", "table", "51931"),
                List.of("-4", "rule", "add", "table", "main", "suppress_prefixlength", "0"));
    }
}
