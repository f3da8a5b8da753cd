package net.braid.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class TestRangesTest {
    @Test
    void acceptsOnlyBenchmarkingAndDocumentationAddresses() {
        assertThat(TestRanges.contains(ip("198.18.0.1"))).isTrue();
        assertThat(TestRanges.contains(ip("198.19.255.254"))).isTrue();
        assertThat(TestRanges.contains(ip("2001:db8::1"))).isTrue();
        assertThat(TestRanges.contains(ip("2001:db8:ffff:ffff::1"))).isTrue();

        assertThat(TestRanges.contains(ip("198.17.255.255"))).isFalse();
        assertThat(TestRanges.contains(ip("198.20.0.0"))).isFalse();
        assertThat(TestRanges.contains(ip("10.0.0.1"))).isFalse();
        assertThat(TestRanges.contains(ip("192.168.1.1"))).isFalse();
        assertThat(TestRanges.contains(ip("2001:db9::1"))).isFalse();
        assertThat(TestRanges.contains(ip("fe80::1"))).isFalse();
    }

    @Test
    void requireThrowsForAnythingElse() {
        assertThatThrownBy(() -> TestRanges.require(ip("10.1.2.3")))
                .isInstanceOf(TestbedException.class).hasMessageContaining("10.1.2.3").hasMessageContaining("198.18.0.0/15");
        assertThat(TestRanges.require(ip("198.18.7.2"))).isEqualTo(ip("198.18.7.2"));
    }

    @Test
    void prefixesAreNormalisedAndPrinted() {
        assertThat(TestRanges.Prefix.parse("198.18.3.77/24")).hasToString("198.18.3.0/24");
        assertThat(TestRanges.Prefix.parse("2001:db8:0:3::9/64")).hasToString("2001:db8:0:3::/64");
        assertThat(TestRanges.Prefix.parse("2001:db8::/32")).hasToString("2001:db8::/32");
        assertThat(TestRanges.Prefix.parse("198.18.0.0/15").contains(ip("198.19.1.1"))).isTrue();
        assertThat(TestRanges.Prefix.parse("198.18.0.0/15").contains(ip("2001:db8::1"))).isFalse();
    }

    @Test
    void routedPrefixMustLieInsideARange() {
        assertThat(TestRanges.require(TestRanges.Prefix.parse("198.19.5.0/24"))).hasToString("198.19.5.0/24");
        assertThat(TestRanges.require(TestRanges.Prefix.parse("2001:db8:0:5::/64"))).hasToString("2001:db8:0:5::/64");
        assertThatThrownBy(() -> TestRanges.require(TestRanges.Prefix.parse("198.0.0.0/8"))).isInstanceOf(TestbedException.class);
        assertThatThrownBy(() -> TestRanges.require(TestRanges.Prefix.parse("0.0.0.0/0"))).isInstanceOf(TestbedException.class);
        assertThatThrownBy(() -> TestRanges.require(TestRanges.Prefix.parse("2001::/16"))).isInstanceOf(TestbedException.class);
    }

    @Test
    void neverResolvesNames() {
        assertThatThrownBy(() -> TestRanges.Prefix.parse("example.com/24")).isInstanceOf(IllegalArgumentException.class);
    }

    private static InetAddress ip(String literal) {
        return TestRanges.literal(literal);
    }
}
