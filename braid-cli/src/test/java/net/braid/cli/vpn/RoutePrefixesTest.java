package net.braid.cli.vpn;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.List;
import net.braid.config.IpPrefix;
import net.braid.masque.codec.IpAddressRange;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class RoutePrefixesTest {
    static InetAddress v4(long value) throws Exception {
        return InetAddress.getByAddress(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    static BigInteger value(InetAddress a) {
        return new BigInteger(1, a.getAddress());
    }

    @Test
    void rangesAsTheKernelRoutesThem() throws Exception {
        assertThat(RoutePrefixes.of(InetAddress.ofLiteral("0.0.0.0"), InetAddress.ofLiteral("255.255.255.255")))
                .containsExactly(IpPrefix.parse("0.0.0.0/0"));
        // 198.18.0.0/15 with the pool 198.19.230.0/24 cut out, as a proxy advertises it.
        assertThat(RoutePrefixes.of(List.of(
                new IpAddressRange(InetAddress.ofLiteral("198.18.0.0"), InetAddress.ofLiteral("198.19.229.255"), 0),
                new IpAddressRange(InetAddress.ofLiteral("198.19.231.0"), InetAddress.ofLiteral("198.19.255.255"), 0),
                new IpAddressRange(InetAddress.ofLiteral("198.19.231.0"), InetAddress.ofLiteral("198.19.255.255"), 17))))
                .containsExactlyElementsOf(java.util.stream.Stream.of("198.18.0.0/16", "198.19.0.0/17", "198.19.128.0/18",
                        "198.19.192.0/19", "198.19.224.0/22", "198.19.228.0/23", "198.19.231.0/24", "198.19.232.0/21",
                        "198.19.240.0/20").map(IpPrefix::parse).toList());
        assertThat(RoutePrefixes.of(InetAddress.ofLiteral("2001:db8::"), InetAddress.ofLiteral("2001:db8::2")))
                .containsExactly(IpPrefix.parse("2001:db8::/127"), IpPrefix.parse("2001:db8::2/128"));
    }

    @Property
    void prefixesTileTheRangeExactly(@ForAll long a, @ForAll long b) throws Exception {
        long x = a & 0xffff_ffffL;
        long y = b & 0xffff_ffffL;
        long start = Math.min(x, y);
        long end = Math.max(x, y);
        List<IpPrefix> prefixes = RoutePrefixes.of(v4(start), v4(end));
        BigInteger next = BigInteger.valueOf(start);
        for (IpPrefix p : prefixes) {
            assertThat(p.isNetwork()).as("aligned: %s", p).isTrue();
            assertThat(value(p.address())).as("contiguous at %s", p).isEqualTo(next);
            next = next.add(BigInteger.ONE.shiftLeft(32 - p.prefixLength()));
        }
        assertThat(next).isEqualTo(BigInteger.valueOf(end + 1));
        // Fewest: at most two prefixes of each length.
        assertThat(prefixes.size()).isLessThanOrEqualTo(62);
    }
}
