package net.braid.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LinkSubnetTest {
    @Test
    void firstLinkGetsTheFirstSubnets() {
        LinkSubnet subnet = new LinkSubnet(0);
        assertThat(subnet.v4Of(0).getHostAddress()).isEqualTo("198.18.0.1");
        assertThat(subnet.v4Of(1).getHostAddress()).isEqualTo("198.18.0.2");
        assertThat(subnet.v6Of(0)).isEqualTo(TestRanges.literal("2001:db8::1"));
        assertThat(subnet.v6Of(1)).isEqualTo(TestRanges.literal("2001:db8::2"));
        assertThat(subnet.v4Prefix()).hasToString("198.18.0.0/24");
        assertThat(subnet.v6Prefix()).hasToString("2001:db8::/64");
    }

    @Test
    void countsOnInto198_19() {
        assertThat(new LinkSubnet(3).v4Of(1).getHostAddress()).isEqualTo("198.18.3.2");
        assertThat(new LinkSubnet(3).v6Of(1)).isEqualTo(TestRanges.literal("2001:db8:0:3::2"));
        assertThat(new LinkSubnet(256).v4Prefix()).hasToString("198.19.0.0/24");
        assertThat(new LinkSubnet(511).v4Of(0).getHostAddress()).isEqualTo("198.19.255.1");
        assertThat(new LinkSubnet(511).v6Prefix()).hasToString("2001:db8:0:1ff::/64");
    }

    @Test
    void refusesMoreLinksThanTheRangeHolds() {
        assertThatThrownBy(() -> new LinkSubnet(512)).isInstanceOf(TestbedException.class);
        assertThatThrownBy(() -> new LinkSubnet(-1)).isInstanceOf(TestbedException.class);
    }

    @Test
    void everyLinkHasItsOwnSubnets() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < LinkSubnet.MAX_LINKS; i++) {
            assertThat(seen.add(new LinkSubnet(i).v4Prefix().toString())).isTrue();
            assertThat(seen.add(new LinkSubnet(i).v6Prefix().toString())).isTrue();
        }
    }

    @Property
    void addressesStayInTheTestRanges(@ForAll @IntRange(min = 0, max = 511) int index) {
        LinkSubnet subnet = new LinkSubnet(index);
        for (int side = 0; side < 2; side++) {
            assertThat(TestRanges.contains(subnet.v4Of(side))).isTrue();
            assertThat(TestRanges.contains(subnet.v6Of(side))).isTrue();
            assertThat(subnet.v4Prefix().contains(subnet.v4Of(side))).isTrue();
            assertThat(subnet.v6Prefix().contains(subnet.v6Of(side))).isTrue();
        }
    }
}
