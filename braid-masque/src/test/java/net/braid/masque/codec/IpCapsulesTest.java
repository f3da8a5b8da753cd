package net.braid.masque.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpCapsulesTest {

    private static final HexFormat HEX = HexFormat.of();

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // literals only: no lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static Capsule parseOne(String hex) throws MalformedCapsuleException {
        Capsule[] got = new Capsule[1];
        new CapsuleParser().feed(ByteBuffer.wrap(HEX.parseHex(hex)), new CapsuleHandler() {
            @Override
            public void onDatagram(ByteBuffer payload) {
                throw new AssertionError("datagram");
            }

            @Override
            public void onAddressAssign(AddressAssign c) {
                got[0] = c;
            }

            @Override
            public void onAddressRequest(AddressRequest c) {
                got[0] = c;
            }

            @Override
            public void onRouteAdvertisement(RouteAdvertisement c) {
                got[0] = c;
            }
        });
        return got[0];
    }

    // Bytes laid out field by field as RFC 9484 §4.7 draws them.
    private static final String ASSIGN_HEX = "01" + "1a"
            + "00" + "04" + "c6120002" + "20"
            + "01" + "06" + "20010db8000000000000000000000002" + "80";
    private static final String REQUEST_HEX = "02" + "07" + "01" + "04" + "00000000" + "20";
    private static final String ROUTES_HEX = "03" + "2c"
            + "04" + "c6120000" + "c613ffff" + "00"
            + "06" + "20010db8000000000000000000000000" + "20010db8ffffffffffffffffffffffff" + "11";

    @Test
    void addressAssignBytes() throws MalformedCapsuleException {
        AddressAssign assign = AddressAssign.of(
                new AssignedAddress(0, ip("198.18.0.2"), 32),
                new AssignedAddress(1, ip("2001:db8::2"), 128));
        assertThat(HEX.formatHex(CapsuleWriter.encode(assign))).isEqualTo(ASSIGN_HEX);
        assertThat(parseOne(ASSIGN_HEX)).isEqualTo(assign);
    }

    @Test
    void emptyAddressAssignWithdrawsAll() throws MalformedCapsuleException {
        assertThat(HEX.formatHex(CapsuleWriter.encode(new AddressAssign(List.of())))).isEqualTo("0100");
        assertThat(parseOne("0100")).isEqualTo(new AddressAssign(List.of()));
    }

    @Test
    void addressRequestBytes() throws MalformedCapsuleException {
        AddressRequest request = AddressRequest.of(new RequestedAddress(1, ip("0.0.0.0"), 32));
        assertThat(HEX.formatHex(CapsuleWriter.encode(request))).isEqualTo(REQUEST_HEX);
        assertThat(parseOne(REQUEST_HEX)).isEqualTo(request);
    }

    @Test
    void routeAdvertisementBytes() throws MalformedCapsuleException {
        RouteAdvertisement routes = RouteAdvertisement.of(
                new IpAddressRange(ip("198.18.0.0"), ip("198.19.255.255"), IpAddressRange.ALL_PROTOCOLS),
                new IpAddressRange(ip("2001:db8::"), ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"), 17));
        assertThat(HEX.formatHex(CapsuleWriter.encode(routes))).isEqualTo(ROUTES_HEX);
        assertThat(parseOne(ROUTES_HEX)).isEqualTo(routes);
    }

    @Test
    void ipv4MappedIpv6StaysIpv6OnTheWire() throws MalformedCapsuleException {
        String hex = "01" + "13" + "00" + "06" + "00000000000000000000ffffc6120002" + "80";
        Capsule c = parseOne(hex);
        assertThat(HEX.formatHex(CapsuleWriter.encode(c))).isEqualTo(hex);
    }

    @ParameterizedTest
    @CsvSource({
        // IP Version 5 (RFC 9484 §4.7.1)
        "01070005c612000220,                 UNKNOWN_IP_VERSION",
        // prefix length 33 for IPv4
        "01070004c612000221,                 PREFIX_LENGTH_TOO_LONG",
        // prefix length 129 for IPv6
        "011300062001000000000000000000000000000081, PREFIX_LENGTH_TOO_LONG",
        // Length 6 ends before the prefix length
        "01060004c6120002,                   TRUNCATED_VALUE",
        // trailing byte after a complete entry: a partial second entry
        "01080004c61200022001,               TRUNCATED_VALUE",
        // ADDRESS_REQUEST with Request ID 0 (RFC 9484 §4.7.2)
        "0207000400000000 20,                ZERO_REQUEST_ID",
        // ADDRESS_REQUEST with nothing requested
        "0200,                               EMPTY_ADDRESS_REQUEST",
        // start 198.18.0.9 after end 198.18.0.1 (RFC 9484 §4.7.3)
        "030a04c6120009c612000100,           RANGE_START_AFTER_END",
        // IPv6 range before an IPv4 range
        "032c0620010000000000000000000000000000200100000000000000000000000000000004c6120000c612000000, RANGES_OUT_OF_ORDER",
        // same version, protocol 17 before protocol 6
        "031404c6120000c612000011 04c6120000c612000006, RANGES_OUT_OF_ORDER",
        // same version and protocol, overlapping: second starts at the first's end
        "031404c6120000c612001000 04c6120010c612002000, RANGES_OUT_OF_ORDER",
        // same version and protocol, listed high before low
        "031404c6120100c612010000 04c6120000c612000100, RANGES_OUT_OF_ORDER",
        // IP Version 0 in a range
        "030a00c6120000c612000100,           UNKNOWN_IP_VERSION",
    })
    void malformedCapsulesNameTheRule(String hex, CapsuleError error) {
        assertThatThrownBy(() -> parseOne(hex.replace(" ", "")))
                .isInstanceOfSatisfying(MalformedCapsuleException.class, e -> assertThat(e.error()).isEqualTo(error));
    }

    @Test
    void adjacentButNotOverlappingRangesAreOrdered() throws MalformedCapsuleException {
        // end 198.18.0.255 < start 198.18.1.0; same ranges for another protocol may repeat.
        RouteAdvertisement r = RouteAdvertisement.of(
                new IpAddressRange(ip("198.18.0.0"), ip("198.18.0.255"), 6),
                new IpAddressRange(ip("198.18.1.0"), ip("198.18.1.0"), 6),
                new IpAddressRange(ip("198.18.0.0"), ip("198.18.0.255"), 17),
                new IpAddressRange(ip("::"), ip("::"), 0));
        assertThat(parseOne(HEX.formatHex(CapsuleWriter.encode(r)))).isEqualTo(r);
    }

    @Test
    void recordsRefuseWhatTheWireCannotSay() {
        assertThatThrownBy(() -> new AssignedAddress(0, ip("198.18.0.1"), 33)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RequestedAddress(0, ip("198.18.0.1"), 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AddressRequest(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IpAddressRange(ip("198.18.0.1"), ip("2001:db8::1"), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IpAddressRange(ip("198.18.0.2"), ip("198.18.0.1"), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IpAddressRange(ip("198.18.0.1"), ip("198.18.0.1"), 256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AssignedAddress(0, ip("fe80::1%1"), 128)).isInstanceOf(IllegalArgumentException.class);
        IpAddressRange a = new IpAddressRange(ip("198.18.0.0"), ip("198.18.0.9"), 0);
        IpAddressRange b = new IpAddressRange(ip("198.18.0.5"), ip("198.18.0.20"), 0);
        assertThatThrownBy(() -> RouteAdvertisement.of(a, b))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlapping");
    }
}
