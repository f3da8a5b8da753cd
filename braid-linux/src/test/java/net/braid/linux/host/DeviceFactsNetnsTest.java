package net.braid.linux.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.braid.config.IpPrefix;
import net.braid.linux.HostCommand;
import net.braid.linux.NetNamespace;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The facts behind {@link MultihomeAdvice}, read from a namespace set up with two links on one subnet. */
class DeviceFactsNetnsTest {
    private static final String NS = "braid-facts-" + ProcessHandle.current().pid();

    @Test
    void readsSysctlsSubnetsAndDefaultRoutesOfEachDevice() throws Exception {
        Assumptions.assumeTrue(Files.isWritable(Path.of("/proc/sys/net/ipv4/ip_forward")), "needs root for a namespace");
        String ip = HostCommand.locate("ip");
        NetNamespace.create(NS);
        try {
            for (String[] c : new String[][] {
                    {"link", "add", "wan1", "type", "veth", "peer", "name", "wan1p"}, {"link", "add", "wan2", "type", "veth", "peer", "name", "wan2p"},
                    {"link", "set", "wan1p", "up"}, {"link", "set", "wan2p", "up"},
                    {"addr", "add", "198.18.1.5/24", "dev", "wan1"}, {"addr", "add", "198.18.1.6/24", "dev", "wan2"},
                    {"link", "set", "wan1", "up"}, {"link", "set", "wan2", "up"},
                    {"route", "add", "default", "via", "198.18.1.1", "dev", "wan1"}}) {
                HostCommand.run(concat(ip, NS, c));
            }
            var facts = NetNamespace.run(NS, () -> {
                Files.writeString(Path.of("/proc/sys/net/ipv4/conf/wan2/rp_filter"), "1");
                return List.of(DeviceFactsReader.read("wan1"), DeviceFactsReader.read("wan2"), DeviceFactsReader.read("wan3"));
            });
            assertThat(facts.get(0).subnets()).contains(IpPrefix.parse("198.18.1.0/24"));
            assertThat(facts.get(0).hasDefaultRoute()).isTrue();
            assertThat(facts.get(1).hasDefaultRoute()).isFalse();
            assertThat(facts.get(1).rpFilter()).isEqualTo(1);
            assertThat(facts.get(2).exists()).isFalse();
            var paths = List.of(new MultihomeAdvice.BoundPath("Peer.Path[1]", "wan1", IpPrefix.parse("198.18.50.1")),
                    new MultihomeAdvice.BoundPath("Peer.Path[2]", "wan2", IpPrefix.parse("198.18.50.1")));
            assertThat(MultihomeAdvice.notes(paths, facts.subList(0, 2))).hasSize(3)
                    .anySatisfy(n -> assertThat(n).startsWith("rp_filter is strict on wan2"))
                    .anySatisfy(n -> assertThat(n).startsWith("wan1 and wan2 share 198.18.1.0/24"))
                    .anySatisfy(n -> assertThat(n).startsWith("Peer.Path[2] is bound to wan2, which has no default route"));
        } finally {
            NetNamespace.delete(NS);
        }
    }

    private static List<String> concat(String ip, String ns, String[] args) {
        var all = new java.util.ArrayList<>(List.of(ip, "-n", ns));
        all.addAll(List.of(args));
        return all;
    }
}
