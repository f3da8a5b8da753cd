package net.braid.linux.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.braid.config.IpPrefix;
import net.braid.linux.host.MultihomeAdvice.BoundPath;
import net.braid.linux.host.MultihomeAdvice.DeviceFacts;
import org.junit.jupiter.api.Test;

class MultihomeAdviceTest {
    private static final IpPrefix PEER = IpPrefix.parse("198.18.50.1");

    private static DeviceFacts device(String name, int rp, int arpIgnore, String subnet, boolean defaultRoute) {
        return new DeviceFacts(name, true, rp, arpIgnore, arpIgnore == 0 ? 0 : 2, List.of(IpPrefix.parse(subnet)), defaultRoute);
    }

    @Test
    void aWellSetUpPairOfLinksGetsNoAdvice() {
        var paths = List.of(new BoundPath("Peer.Path[1]", "wan1", PEER), new BoundPath("Peer.Path[2]", "wan2", PEER));
        assertThat(MultihomeAdvice.notes(paths, List.of(device("wan1", 2, 1, "198.18.1.0/24", true),
                device("wan2", 0, 1, "198.18.2.0/24", true)))).isEmpty();
    }

    @Test
    void strictReversePathFilteringIsNamedWithItsFix() {
        var paths = List.of(new BoundPath("Peer.Path[1]", "wan1", PEER), new BoundPath("Peer.Path[2]", "wan2", PEER));
        assertThat(MultihomeAdvice.notes(paths, List.of(device("wan1", 0, 1, "198.18.1.0/24", true),
                device("wan2", 1, 1, "198.18.2.0/24", true))))
                .singleElement().asString().startsWith("rp_filter is strict on wan2").contains("net.ipv4.conf.wan2.rp_filter=2");
    }

    @Test
    void twoLinksOnOneSubnetWarnOfArpFluxUnlessArpIsPinned() {
        var paths = List.of(new BoundPath("Peer.Path[1]", "wan1", PEER), new BoundPath("Peer.Path[2]", "wan2", PEER));
        assertThat(MultihomeAdvice.notes(paths, List.of(device("wan1", 0, 0, "198.18.1.5/24", true),
                device("wan2", 0, 0, "198.18.1.6/24", true))))
                .singleElement().asString().startsWith("wan1 and wan2 share 198.18.1.0/24").contains("arp_ignore=1");
        assertThat(MultihomeAdvice.notes(paths, List.of(device("wan1", 0, 1, "198.18.1.5/24", true),
                device("wan2", 0, 1, "198.18.1.6/24", true)))).isEmpty();
    }

    @Test
    void aLinkWithoutADefaultRouteCanOnlyReachItsOwnSubnet() {
        var far = List.of(new BoundPath("Peer.Path[2]", "wan2", PEER));
        assertThat(MultihomeAdvice.notes(far, List.of(device("wan2", 0, 1, "198.18.2.0/24", false))))
                .singleElement().asString().startsWith("Peer.Path[2] is bound to wan2, which has no default route");
        var near = List.of(new BoundPath("Peer.Path[2]", "wan2", IpPrefix.parse("198.18.2.9")));
        assertThat(MultihomeAdvice.notes(near, List.of(device("wan2", 0, 1, "198.18.2.0/24", false)))).isEmpty();
    }
}
