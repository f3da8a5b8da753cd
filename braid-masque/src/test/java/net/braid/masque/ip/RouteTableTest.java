package net.braid.masque.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import net.braid.config.IpPrefix;
import net.braid.masque.codec.IpAddressRange;
import net.braid.masque.codec.RouteAdvertisement;
import net.braid.packet.AddressPair;
import net.braid.packet.IcmpEcho;
import net.braid.packet.IpProtocol;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    static List<IpPrefix> prefixes(String... p) {
        return java.util.Arrays.stream(p).map(IpPrefix::parse).toList();
    }

    static ByteBuffer echo(String src, String dst) {
        ByteBuffer b = ByteBuffer.allocate(1500);
        int n = new IcmpEcho(AddressPair.of(src, dst), true, 1, 1, new byte[8]).write(b, 0, 64);
        return b.limit(n);
    }

    @Test
    void anyScopeIsReachableMinusDeniedSortedAndDisjoint() {
        RouteTable t = RouteTable.forScope(prefixes("0.0.0.0/0", "::/0"),
                prefixes("10.0.0.0/8", "127.0.0.0/8", "::1/128", "fc00::/7"), null, 0);
        assertThat(t.ranges()).extracting(IpAddressRange::toString).containsExactly(
                "0.0.0.0-9.255.255.255 proto any",
                "11.0.0.0-126.255.255.255 proto any",
                "128.0.0.0-255.255.255.255 proto any",
                "0:0:0:0:0:0:0:0-0:0:0:0:0:0:0:0 proto any",
                "0:0:0:0:0:0:0:2-fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff proto any",
                "fe00:0:0:0:0:0:0:0-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff proto any");
        // The capsule constructor re-checks RFC 9484 §4.7.3's order.
        assertThat(new RouteAdvertisement(t.ranges()).ranges()).hasSize(6);
    }

    @Test
    void prefixScopeIsNarrowedAndCarriesTheProtocol() {
        RouteTable t = RouteTable.forScope(prefixes("198.18.0.0/15", "2001:db8::/32"), prefixes("198.18.0.128/25"),
                prefixes("198.18.0.0/24"), IpProtocol.ICMP);
        assertThat(t.ranges()).extracting(IpAddressRange::toString).containsExactly("198.18.0.0-198.18.0.127 proto 1");
        assertThat(t.covers(4)).isTrue();
        assertThat(t.covers(6)).isFalse();
        assertThat(t.permits(echo("198.19.0.2", "198.18.0.9"), 0, 36, true)).isTrue();
        assertThat(t.permits(echo("198.19.0.2", "198.18.0.200"), 0, 36, true)).isFalse();
        assertThat(t.permits(echo("198.18.0.9", "198.19.0.2"), 0, 36, false)).as("by source").isTrue();
        assertThat(RouteTable.forScope(prefixes("198.18.0.0/15"), prefixes(), prefixes("203.0.113.0/24"), 0).isEmpty()).isTrue();
    }

    @Test
    void protocolMatchesIpv6AfterExtensionHeadersAndZeroMeansAll() {
        RouteTable udpOnly = RouteTable.of(List.of(new IpAddressRange(java.net.InetAddress.ofLiteral("2001:db8::"),
                java.net.InetAddress.ofLiteral("2001:db8::ffff"), IpProtocol.UDP)));
        ByteBuffer icmp = echo("2001:db8:1::2", "2001:db8::5");
        assertThat(udpOnly.permits(icmp, 0, icmp.limit(), true)).isFalse();
        RouteTable all = RouteTable.of(List.of(new IpAddressRange(java.net.InetAddress.ofLiteral("2001:db8::"),
                java.net.InetAddress.ofLiteral("2001:db8::ffff"), 0)));
        assertThat(all.permits(icmp, 0, icmp.limit(), true)).isTrue();
        assertThat(RouteTable.EMPTY.permits(icmp, 0, icmp.limit(), true)).isFalse();
    }
}
