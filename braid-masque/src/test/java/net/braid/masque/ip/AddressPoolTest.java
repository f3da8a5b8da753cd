package net.braid.masque.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.braid.config.IpPrefix;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class AddressPoolTest {
    static IpPrefix p(String s) {
        return IpPrefix.parse(s);
    }

    @Test
    void handsOutHostAddressesSkippingNetworkGatewayAndBroadcast() {
        var pool = new AddressPool(List.of(p("198.19.0.0/29"), p("2001:db8:1::/126")));
        assertThat(pool.gateway(4)).contains(InetAddress.ofLiteral("198.19.0.1"));
        assertThat(pool.gateway(6)).contains(InetAddress.ofLiteral("2001:db8:1::1"));
        List<IpPrefix> v4 = new ArrayList<>();
        for (Optional<IpPrefix> a; (a = pool.allocate(4, 32)).isPresent(); ) v4.add(a.get());
        // 8 addresses less network, gateway and broadcast.
        assertThat(v4).extracting(IpPrefix::toString).containsExactly(
                "198.19.0.2/32", "198.19.0.3/32", "198.19.0.4/32", "198.19.0.5/32", "198.19.0.6/32");
        assertThat(pool.allocate(6, 128)).contains(p("2001:db8:1::2/128"));
        assertThat(pool.allocate(6, 128)).contains(p("2001:db8:1::3/128"));
        assertThat(pool.allocate(6, 128)).isEmpty();
        assertThat(pool.inUse()).isEqualTo(7);
    }

    @Test
    void releasedAddressesAreReused() {
        var pool = new AddressPool(List.of(p("198.19.0.0/30")));
        IpPrefix only = pool.allocate(4, 32).orElseThrow();
        assertThat(only).isEqualTo(p("198.19.0.2/32"));
        assertThat(pool.allocate(4, 32)).isEmpty();
        assertThat(pool.release(only)).isTrue();
        assertThat(pool.release(only)).isFalse();
        assertThat(pool.allocate(4, 32)).contains(only);
    }

    @Test
    void specificBlocksWhenFreeAndInsideThePool() {
        var pool = new AddressPool(List.of(p("198.19.0.0/24")));
        assertThat(pool.allocate(p("198.19.0.77/32"))).contains(p("198.19.0.77/32"));
        assertThat(pool.allocate(p("198.19.0.77/32"))).isEmpty();
        assertThat(pool.allocate(p("198.19.0.1/32"))).as("the gateway").isEmpty();
        assertThat(pool.allocate(p("198.19.1.5/32"))).as("outside").isEmpty();
        assertThat(pool.allocate(p("198.19.0.64/26"))).as("contains .77").isEmpty();
        assertThat(pool.allocate(p("198.19.0.130/26"))).contains(p("198.19.0.128/26"));
        assertThat(pool.allocate(4, 28)).contains(p("198.19.0.16/28"));
        assertThat(pool.release(p("198.19.0.1/32"))).as("reserved stays").isFalse();
        assertThat(pool.allocate(4, 16)).as("shorter than the pool").isEmpty();
    }

    @Test
    void overlappingPoolPrefixesAreRefused() {
        assertThatThrownBy(() -> new AddressPool(List.of(p("198.19.0.0/16"), p("198.19.4.0/24"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlap");
    }

    /** Any sequence of allocations and releases keeps blocks aligned, inside the pool, disjoint and off the reserved addresses. */
    @Property(tries = 200)
    void blocksStayDisjointAligned(@ForAll("operations") List<Integer> ops, @ForAll @IntRange(min = 24, max = 28) int poolLength) {
        IpPrefix range = IpPrefix.parse("198.19.0.0/" + poolLength);
        var pool = new AddressPool(List.of(range));
        List<IpPrefix> held = new ArrayList<>();
        for (int op : ops) {
            if (op < 0 && !held.isEmpty()) {
                assertThat(pool.release(held.remove(Math.floorMod(op, held.size())))).isTrue();
                continue;
            }
            int length = 28 + Math.floorMod(op, 5); // /28../32
            if (length < poolLength) continue;
            pool.allocate(4, length).ifPresent(held::add);
        }
        assertThat(pool.inUse()).isEqualTo(held.size());
        Set<BigInteger> seen = new HashSet<>();
        BigInteger first = AddressBits.first(range);
        BigInteger last = AddressBits.last(range);
        for (IpPrefix block : held) {
            assertThat(block.isNetwork()).isTrue();
            for (BigInteger a = AddressBits.first(block); a.compareTo(AddressBits.last(block)) <= 0; a = a.add(BigInteger.ONE)) {
                assertThat(seen.add(a)).as("address %s handed out twice", a).isTrue();
                assertThat(a).isBetween(first.add(BigInteger.TWO), last.subtract(BigInteger.ONE));
            }
        }
        // Everything released: the whole pool is free again, in the same first-fit order.
        for (IpPrefix block : held) assertThat(pool.release(block)).isTrue();
        assertThat(pool.inUse()).isZero();
        assertThat(pool.allocate(4, 32)).contains(IpPrefix.parse("198.19.0.2/32"));
    }

    @Provide
    Arbitrary<List<Integer>> operations() {
        return Arbitraries.integers().between(-50, 50).list().ofMaxSize(80);
    }

    /** Exhaustion is exact: a pool of n addresses gives n − 3 (IPv4) host addresses, then none. */
    @Property(tries = 20)
    void exhaustsAfterEveryUsableAddress(@ForAll @IntRange(min = 24, max = 30) int poolLength) {
        var pool = new AddressPool(List.of(IpPrefix.parse("198.18.128.0/" + poolLength)));
        int usable = (1 << (32 - poolLength)) - 3;
        for (int i = 0; i < usable; i++) assertThat(pool.allocate(4, 32)).isPresent();
        assertThat(pool.allocate(4, 32)).isEmpty();
    }
}
