package net.braid.cli.vpn;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import net.braid.config.IpPrefix;
import org.junit.jupiter.api.Test;

class VpnRoutingTest {
    @Test
    void addressesRoutesInTheirTableAndRulesThatKeepTheProxyOff() {
        var routing = VpnRouting.of("bvpn0", List.of(IpPrefix.parse("198.19.230.2/32"), IpPrefix.parse("2001:db8:230::2/128")),
                List.of(IpPrefix.parse("198.18.0.0/16"), IpPrefix.parse("2001:db8::/48"), IpPrefix.parse("2001:db8:1::/48")),
                InetAddress.ofLiteral("198.18.1.2"), 51930, v -> Path.of("/run/braid/vpn/home.host.routes" + v));
        assertThat(routing.plan().changes()).extracting(Object::toString).containsExactly(
                "ip -4 addr add 198.19.230.2/32 dev bvpn0",
                "ip -6 addr add 2001:db8:230::2/128 dev bvpn0 nodad",
                "ip -4 -batch /run/braid/vpn/home.host.routes4",
                "ip -4 rule add not to 198.18.1.2/32 table 51930",
                "ip -4 rule add table main suppress_prefixlength 0",
                "ip -6 -batch /run/braid/vpn/home.host.routes6",
                "ip -6 rule add table 51930",
                "ip -6 rule add table main suppress_prefixlength 0");
        assertThat(routing.batches().get(4)).isEqualTo("route add 198.18.0.0/16 dev bvpn0 table 51930\n");
        assertThat(routing.batches().get(6)).isEqualTo("route add 2001:db8::/48 dev bvpn0 table 51930\n"
                + "route add 2001:db8:1::/48 dev bvpn0 table 51930\n");
        assertThat(routing.plan().socketMark()).isZero();
    }

    @Test
    void anIpVersionWithoutAnAddressIsNotRouted() {
        var routing = VpnRouting.of("bvpn0", List.of(IpPrefix.parse("198.19.230.2/32")),
                List.of(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("::/0")),
                InetAddress.ofLiteral("2001:db8:9::1"), 7, v -> Path.of("r" + v));
        assertThat(routing.batches()).containsOnlyKeys(4);
        assertThat(routing.batches().get(4)).isEqualTo("route add 0.0.0.0/0 dev bvpn0 table 7\n");
        assertThat(routing.plan().changes()).extracting(Object::toString)
                .contains("ip -4 rule add table 7").noneMatch(c -> c.startsWith("ip -6"));
    }
}
