package net.braid.linux.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.braid.config.HostSetup;
import net.braid.config.IpPrefix;
import org.junit.jupiter.api.Test;

class HostPlanTest {
    private static final List<IpPrefix> ADDRESSES = List.of(IpPrefix.parse("198.18.100.1/24"), IpPrefix.parse("2001:db8:100::1/64"));

    private static HostPlan plan(HostSetup setup, String... allowed) {
        return HostPlan.of("braid0", setup, ADDRESSES, List.of(allowed).stream().map(IpPrefix::parse).toList());
    }

    private static List<String> commands(HostPlan plan) {
        return plan.changes().stream().map(Object::toString).toList();
    }

    @Test
    void specificPrefixesGoToTheMainTableExceptTheInterfacesOwnSubnet() {
        HostPlan plan = plan(HostSetup.NONE, "198.18.100.2/32", "198.18.1.7/24", "2001:db8:1::/48");
        assertThat(commands(plan)).containsExactly(
                "ip -4 route add 198.18.1.0/24 dev braid0",
                "ip -6 route add 2001:db8:1::/48 dev braid0");
        assertThat(plan.socketMark()).isZero();
    }

    @Test
    void aDefaultRouteUsesPolicyRoutingAndMarksBraidsOwnSockets() {
        HostPlan plan = plan(HostSetup.NONE, "0.0.0.0/0", "::/0");
        assertThat(commands(plan)).containsExactly(
                "ip -4 route add 0.0.0.0/0 dev braid0 table 51920",
                "ip -4 rule add not fwmark 0xcad0 table 51920",
                "ip -4 rule add table main suppress_prefixlength 0",
                "ip -6 route add ::/0 dev braid0 table 51920",
                "ip -6 rule add not fwmark 0xcad0 table 51920",
                "ip -6 rule add table main suppress_prefixlength 0",
                "sysctl net.ipv4.conf.all.src_valid_mark=1");
        assertThat(plan.socketMark()).isEqualTo(51920);
        var rule = (HostChange.Ip) plan.changes().get(1);
        assertThat(rule.undo()).containsExactly("-4", "rule", "del", "not", "fwmark", "0xcad0", "table", "51920");
    }

    @Test
    void aConfiguredMarkNamesThePolicyTable() {
        HostPlan plan = plan(new HostSetup(HostSetup.Table.AUTO, 0x1234, false, false, HostSetup.Hooks.NONE), "0.0.0.0/0");
        assertThat(commands(plan)).contains("ip -4 rule add not fwmark 0x1234 table 4660");
        assertThat(plan.socketMark()).isEqualTo(0x1234);
    }

    @Test
    void tableOffRoutesNothingAndANumberedTableTakesEveryRoute() {
        assertThat(plan(new HostSetup(HostSetup.Table.OFF, 0, false, false, HostSetup.Hooks.NONE), "0.0.0.0/0", "198.18.1.0/24")
                .changes()).isEmpty();
        assertThat(commands(plan(new HostSetup(new HostSetup.Table.Numbered(7), 0, false, false, HostSetup.Hooks.NONE),
                "0.0.0.0/0", "198.18.1.0/24"))).containsExactly(
                "ip -4 route add 198.18.1.0/24 dev braid0 table 7",
                "ip -4 route add 0.0.0.0/0 dev braid0 table 7");
    }

    @Test
    void masqueradeTagsTunnelledConnectionsAndForwards() {
        HostPlan plan = plan(new HostSetup(HostSetup.Table.AUTO, 0, false, true, HostSetup.Hooks.NONE), "198.18.1.0/24");
        assertThat(commands(plan)).containsExactly(
                "ip -4 route add 198.18.1.0/24 dev braid0",
                "sysctl net.ipv4.ip_forward=1",
                "sysctl net.ipv6.conf.all.forwarding=1",
                "nft table inet braid_braid0");
        var nft = (HostChange.NftTable) plan.changes().getLast();
        assertThat(nft.script()).contains("iifname \"braid0\" ct mark set ct mark or 0x40000000")
                .contains("oifname != \"braid0\" ct mark and 0x40000000 == 0x40000000 counter masquerade")
                .startsWith("table inet braid_braid0\ndelete table inet braid_braid0\n");
    }

    @Test
    void nftTableNamesKeepToLettersDigitsAndUnderscores() {
        assertThat(HostPlan.tableName("wg-home.1")).isEqualTo("braid_wg_home_1");
    }

    @Test
    void aLentAddressGoesThroughTheTunExceptBraidsPortAndTheKeptOnes() {
        var setup = new HostSetup(HostSetup.Table.AUTO, 0, false, false, HostSetup.Hooks.NONE,
                List.of(IpPrefix.parse("198.18.20.2/32")), List.of(new HostSetup.LocalPort("tcp", 22), new HostSetup.LocalPort("udp", 53)));
        HostPlan plan = HostPlan.of("braid0", setup, ADDRESSES, List.of(IpPrefix.parse("198.18.20.2/32")), 51820);
        assertThat(commands(plan)).containsExactly(
                "sysctl net.ipv4.ip_forward=1",
                "sysctl net.ipv6.conf.all.forwarding=1",
                "ip -4 rule add pref 50 fwmark 0x20000000/0x20000000 table 51921",
                "ip -4 rule add pref 100 table local",
                "ip -4 rule del pref 0 table local",
                "ip -4 route add 198.18.20.2/32 dev braid0 table 51921",
                "sysctl net.ipv4.conf.braid0.accept_local=1",
                "nft table inet braid_braid0");
        var restore = (HostChange.Ip) plan.changes().get(4);
        assertThat(restore.undo()).containsExactly("-4", "rule", "add", "pref", "0", "table", "local");
        assertThat(((HostChange.NftTable) plan.changes().getLast()).body()).isEqualTo("""
                    chain lend {
                        type filter hook prerouting priority mangle; policy accept;
                        ip daddr 198.18.20.2 udp dport 51820 return
                        ip daddr 198.18.20.2 tcp dport 22 return
                        ip daddr 198.18.20.2 udp dport 53 return
                        iifname != "braid0" ip daddr 198.18.20.2 meta mark set meta mark or 0x20000000
                    }
                """);
    }
}
