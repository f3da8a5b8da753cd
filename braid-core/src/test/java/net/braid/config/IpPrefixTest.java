package net.braid.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpPrefixTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "198.18.0.1/24            | 198.18.0.1/24",
        "198.18.0.1               | 198.18.0.1/32",
        "0.0.0.0/0                | 0.0.0.0/0",
        "2001:DB8:0:0:0:0:0:1/64  | 2001:db8::1/64",
        "2001:db8:0:0:1:0:0:1/128 | 2001:db8::1:0:0:1/128",
        "2001:db8::               | 2001:db8::/128",
        "::/0                     | ::/0",
        "2001:0db8:0000:0001:0000:0000:0000:0001/48 | 2001:db8:0:1::1/48",
        "2001:db8:1:1:1:1:1:1/64  | 2001:db8:1:1:1:1:1:1/64",
        "2001:db8:0:1:1:1:1:1/64  | 2001:db8:0:1:1:1:1:1/64",
        " 198.19.255.255/15       | 198.19.255.255/15",
        "2001:0:0:1:0:0:0:1       | 2001:0:0:1::1/128",
        "0:0:0:0:0:0:0:1          | ::1/128",
        "1:0:0:0:0:0:0:0          | 1::/128",
    })
    void parsesToCanonicalText(String text, String canonical) {
        IpPrefix prefix = IpPrefix.parse(text);
        assertThat(prefix.toString()).isEqualTo(canonical);
        assertThat(IpPrefix.parse(canonical)).isEqualTo(prefix);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "198.18.0.0/33       | prefix length max 32 for IPv4; given 198.18.0.0/33",
        "2001:db8::/129      | prefix length max 128 for IPv6; given 2001:db8::/129",
        "198.18.0.0/x        | prefix length must be a whole number; given 198.18.0.0/x",
        "198.18.0.0/         | prefix length must be a whole number; given 198.18.0.0/",
        "198.18.0.0/-1       | prefix length must be a whole number; given 198.18.0.0/-1",
        "198.18.0.256/24     | IP address expected, like 198.18.0.1 or 2001:db8::1; given 198.18.0.256/24",
        "198.18.0/24         | IP address expected, like 198.18.0.1 or 2001:db8::1; given 198.18.0/24",
        "198.018.0.1         | IP address expected, like 198.18.0.1 or 2001:db8::1; given 198.018.0.1",
        "example.com/24      | IP address expected, like 198.18.0.1 or 2001:db8::1; given example.com/24",
        "2001:db8::g/64      | IP address expected, like 198.18.0.1 or 2001:db8::1; given 2001:db8::g/64",
        "fe80::1%eth0/64     | IPv6 zone index not allowed; given fe80::1%eth0/64",
        "[2001:db8::1]/64    | IP address expected without brackets; given [2001:db8::1]/64",
        "::ffff:198.18.0.1   | IPv4-mapped IPv6 address not allowed; write the IPv4 form; given ::ffff:198.18.0.1",
    })
    void refusesWithTheRule(String text, String message) {
        assertThatThrownBy(() -> IpPrefix.parse(text)).isInstanceOf(InvalidValueException.class).hasMessage(message);
    }

    @Test
    void keepsHostBitsAndClearsThemForTheNetwork() {
        IpPrefix address = IpPrefix.parse("198.18.0.1/24");
        assertThat(address.isNetwork()).isFalse();
        assertThat(address.network()).isEqualTo(IpPrefix.parse("198.18.0.0/24")).isNotEqualTo(address);
        assertThat(IpPrefix.parse("2001:db8::1/32").network().toString()).isEqualTo("2001:db8::/32");
    }

    @Test
    void containsAddressesOfItsOwnFamilyOnly() throws Exception {
        IpPrefix v4 = IpPrefix.parse("198.18.0.0/15");
        assertThat(v4.contains(InetAddress.getByName("198.19.255.255"))).isTrue();
        assertThat(v4.contains(InetAddress.getByName("198.20.0.0"))).isFalse();
        assertThat(v4.contains(InetAddress.getByName("2001:db8::1"))).isFalse();
        IpPrefix v6 = IpPrefix.parse("2001:db8:0:1::/64");
        assertThat(v6.contains(InetAddress.getByName("2001:db8:0:1:ffff::1"))).isTrue();
        assertThat(v6.contains(InetAddress.getByName("2001:db8:0:2::1"))).isFalse();
        assertThat(v6.containsV4(0xC6120001)).isFalse();
        assertThat(IpPrefix.parse("2001:db8::1:0:0:1/100").contains(InetAddress.getByName("2001:db8::1:0:fff:ffff"))).isTrue();
        assertThat(IpPrefix.parse("2001:db8::1:0:0:1/100").contains(InetAddress.getByName("2001:db8::1:0:1000:0"))).isFalse();
    }

    @Test
    void zeroLengthContainsEverythingOfItsFamily() {
        assertThat(IpPrefix.parse("0.0.0.0/0").containsV4(0xFFFF_FFFF)).isTrue();
        assertThat(IpPrefix.parse("::/0").containsV6(-1L, -1L)).isTrue();
        assertThat(IpPrefix.parse("0.0.0.0/0").containsV6(0, 0)).isFalse();
    }

    @Test
    void overlapsWhenTheShorterContainsTheLonger() {
        IpPrefix wide = IpPrefix.parse("198.18.0.0/24");
        assertThat(wide.overlaps(IpPrefix.parse("198.18.0.128/25"))).isTrue();
        assertThat(IpPrefix.parse("198.18.0.128/25").overlaps(wide)).isTrue();
        assertThat(wide.overlaps(IpPrefix.parse("198.18.1.0/24"))).isFalse();
        assertThat(IpPrefix.parse("::/0").overlaps(wide)).isFalse();
        assertThat(IpPrefix.parse("2001:db8::/32").overlaps(IpPrefix.parse("2001:db8:ffff::/48"))).isTrue();
        assertThat(IpPrefix.parse("2001:db8::/33").overlaps(IpPrefix.parse("2001:db8:8000::/33"))).isFalse();
    }

    @Test
    void addressRoundTripsThroughInetAddress() throws Exception {
        assertThat(IpPrefix.parse("2001:db8::5/64").address()).isEqualTo(InetAddress.getByName("2001:db8::5"));
        assertThat(IpPrefix.parse("198.18.3.4/16").address()).isEqualTo(InetAddress.getByName("198.18.3.4"));
        assertThat(IpPrefix.of(InetAddress.getByName("198.18.3.4"), 16)).isEqualTo(IpPrefix.parse("198.18.3.4/16"));
    }

    @Property
    void v4LookupAgreesWithInetAddressLookup(@ForAll int prefixAddress, @ForAll @IntRange(max = 32) int length,
                                             @ForAll int address) throws Exception {
        IpPrefix prefix = IpPrefix.ofV4(prefixAddress, length);
        InetAddress inet = InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(address).array());
        boolean expected = length == 0 || (prefixAddress >>> (32 - length)) == (address >>> (32 - length));
        assertThat(prefix.containsV4(address)).isEqualTo(expected).isEqualTo(prefix.contains(inet));
        assertThat(prefix.containsV4(prefixAddress)).isTrue();
    }

    @Property
    void v6LookupAgreesWithBitComparison(@ForAll long hi, @ForAll long lo, @ForAll @IntRange(max = 128) int length,
                                         @ForAll long otherHi, @ForAll long otherLo) throws Exception {
        IpPrefix prefix = IpPrefix.ofV6(hi, lo, length);
        boolean expected = length <= 64
                ? length == 0 || (hi >>> (64 - length)) == (otherHi >>> (64 - length))
                : hi == otherHi && (length == 64 || (lo >>> (128 - length)) == (otherLo >>> (128 - length)));
        InetAddress inet = InetAddress.getByAddress(ByteBuffer.allocate(16).putLong(otherHi).putLong(otherLo).array());
        assertThat(prefix.containsV6(otherHi, otherLo)).isEqualTo(expected).isEqualTo(prefix.contains(inet));
        assertThat(prefix.containsV6(hi, lo)).isTrue();
    }

    @Property
    void canonicalTextParsesBackAndMatchesTheJdk(@ForAll long hi, @ForAll long lo,
                                                 @ForAll @IntRange(max = 128) int length) throws Exception {
        IpPrefix prefix = IpPrefix.ofV6(hi, lo, length);
        assertThat(IpPrefix.parse(prefix.toString())).isEqualTo(prefix);
        assertThat(InetAddress.getByName(prefix.addressText())).isEqualTo(prefix.address());
    }
}
