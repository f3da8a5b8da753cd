package net.braid.masque.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UriTemplateTest {

    // RFC 6570 §1.2 / §3.2 example variables.
    private static final Map<String, String> RFC6570 = Map.of(
            "var", "value",
            "hello", "Hello World!",
            "path", "/foo/bar",
            "x", "1024",
            "y", "768",
            "empty", "");

    // Level 1 to 3 examples of RFC 6570 §1.2 and §3.2.2, §3.2.3, §3.2.8, §3.2.9 for the
    // operators MASQUE uses.
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{var}                | value",
        "{hello}              | Hello%20World%21",
        "{+var}               | value",
        "{+hello}             | Hello%20World!",
        "{+path}/here         | /foo/bar/here",
        "here?ref={+path}     | here?ref=/foo/bar",
        "map?{x,y}            | map?1024,768",
        "{x,hello,y}          | 1024,Hello%20World%21,768",
        "{+x,hello,y}         | 1024,Hello%20World!,768",
        "{+path,x}/here       | /foo/bar,1024/here",
        "{?x,y}               | ?x=1024&y=768",
        "{?x,y,empty}         | ?x=1024&y=768&empty=",
        "?fixed=yes{&x}       | ?fixed=yes&x=1024",
        "{&x,y,empty}         | &x=1024&y=768&empty=",
        "O{empty}X            | OX",
        "O{undef}X            | OX",
        "{?x,undef,y}         | ?x=1024&y=768",
        "{?undef}             | ''",
    })
    void expandsTheRfc6570Examples(String template, String expected) {
        assertThat(UriTemplate.parse(template).expand(RFC6570)).isEqualTo(expected);
    }

    @Test
    void encodesUtf8AndKeepsPctTripletsInReservedExpansion() {
        assertThat(UriTemplate.parse("{x}").expand(Map.of("x", "é/%41"))).isEqualTo("%C3%A9%2F%2541");
        assertThat(UriTemplate.parse("{+x}").expand(Map.of("x", "é/%41"))).isEqualTo("%C3%A9/%41");
        assertThat(UriTemplate.parse("{+x}").expand(Map.of("x", "100%"))).isEqualTo("100%25");
    }

    @Test
    void rfc9298Examples() {
        // RFC 9298 §2: an IPv6 target_host has its colons pct-encoded.
        UriTemplate udp = UriTemplate.parse("https://example.org" + UriTemplate.CONNECT_UDP_DEFAULT_PATH);
        assertThat(udp.expand(Map.of("target_host", "2001:db8::42", "target_port", "443")))
                .isEqualTo("https://example.org/.well-known/masque/udp/2001%3Adb8%3A%3A42/443/");
        // RFC 9298 §3.4's request for 192.0.2.6:443 with the default template.
        assertThat(udp.expand(Map.of("target_host", "192.0.2.6", "target_port", "443")))
                .isEqualTo("https://example.org/.well-known/masque/udp/192.0.2.6/443/");
        assertThat(udp.match("/.well-known/masque/udp/192.0.2.6/443/"))
                .contains(Map.of("target_host", "192.0.2.6", "target_port", "443"));
        assertThat(udp.match("/.well-known/masque/udp/2001%3Adb8%3A%3A42/443/"))
                .contains(Map.of("target_host", "2001:db8::42", "target_port", "443"));
        // The other two templates of RFC 9298 §2.
        UriTemplate literalQuery = UriTemplate.parse("https://proxy.example.org:4443/masque?h={target_host}&p={target_port}");
        assertThat(literalQuery.expand(Map.of("target_host", "192.0.2.6", "target_port", "443")))
                .isEqualTo("https://proxy.example.org:4443/masque?h=192.0.2.6&p=443");
        assertThat(literalQuery.match("/masque?h=192.0.2.6&p=443"))
                .contains(Map.of("target_host", "192.0.2.6", "target_port", "443"));
        UriTemplate formQuery = UriTemplate.parse("https://proxy.example.org:4443/masque{?target_host,target_port}");
        assertThat(formQuery.expand(Map.of("target_host", "2001:db8::42", "target_port", "443")))
                .isEqualTo("https://proxy.example.org:4443/masque?target_host=2001%3Adb8%3A%3A42&target_port=443");
        assertThat(formQuery.match("/masque?target_port=443&target_host=2001%3Adb8%3A%3A42"))
                .contains(Map.of("target_host", "2001:db8::42", "target_port", "443"));
    }

    @Test
    void rfc9484Examples() {
        // RFC 9484 §3's templates; §8's full tunnel writes the wildcards as "*".
        UriTemplate ip = UriTemplate.parse("https://example.org" + UriTemplate.CONNECT_IP_DEFAULT_PATH);
        assertThat(ConnectIpScope.ANY.expand(ip)).isEqualTo("https://example.org/.well-known/masque/ip/*/*/");
        assertThat(ip.match("/.well-known/masque/ip/*/*/")).contains(Map.of("target", "*", "ipproto", "*"));
        assertThat(ip.match("/.well-known/masque/ip/%2A/%2A/")).contains(Map.of("target", "*", "ipproto", "*"));
        assertThat(ip.match("/.well-known/masque/ip/target.example.com/17/"))
                .contains(Map.of("target", "target.example.com", "ipproto", "17"));
        // An IP prefix's slash is pct-encoded: IPv4address "%2F" 1*3DIGIT (RFC 9484 §4.6).
        assertThat(ip.expand(Map.of("target", "2001:db8::/32", "ipproto", "6")))
                .isEqualTo("https://example.org/.well-known/masque/ip/2001%3Adb8%3A%3A%2F32/6/");
        assertThat(ip.match("/.well-known/masque/ip/192.0.2.0%2F24/*/")).contains(Map.of("target", "192.0.2.0/24", "ipproto", "*"));

        UriTemplate query = UriTemplate.parse("https://proxy.example.org:4443/masque/ip?t={target}&i={ipproto}");
        assertThat(query.match("/masque/ip?t=*&i=*")).contains(Map.of("target", "*", "ipproto", "*"));
        UriTemplate form = UriTemplate.parse("https://proxy.example.org:4443/masque/ip{?target,ipproto}");
        assertThat(form.match("/masque/ip")).contains(Map.of());
        assertThat(form.match("/masque/ip?ipproto=17")).contains(Map.of("ipproto", "17"));
        UriTemplate none = UriTemplate.parse("https://masque.example.org/?user=bob");
        assertThat(none.variableNames()).isEmpty();
        assertThat(none.expand(Map.of())).isEqualTo("https://masque.example.org/?user=bob");
        assertThat(none.match("/?user=bob")).contains(Map.of());
        assertThat(none.match("/?user=eve")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/.well-known/masque/udp/192.0.2.6/443",        // missing trailing slash
        "/.well-known/masque/udp/192.0.2.6/443/x",      // extra
        "/.well-known/masque/udp/192.0.2.6/44/3/",      // a slash inside a simple value
        "/.well-known/masque/udp/%zz/443/",              // broken pct-triplet
        "/.well-known/masque/udp/%C3/443/",              // not UTF-8
        "/.well-known/masque/udp/192.0.2.6/443/?a=b",   // query the template has no room for
        "/.well-known/masque/ip/a/b/",
    })
    void refusesTargetsThatDoNotMatch(String target) {
        assertThat(UriTemplate.parse(UriTemplate.CONNECT_UDP_DEFAULT_PATH).match(target)).isEmpty();
    }

    @Test
    void queryMatchingRefusesUnknownOrRepeatedNames() {
        UriTemplate t = UriTemplate.parse("/masque{?target_host,target_port}");
        assertThat(t.match("/masque?target_host=a&x=1")).isEmpty();
        assertThat(t.match("/masque?target_host=a&target_host=b")).isEmpty();
        assertThat(t.match("/masque&target_host=a")).isEmpty();
        assertThat(t.match("/masque?target_host")).isEmpty();
        UriTemplate repeated = UriTemplate.parse("/{x}/{x}");
        assertThat(repeated.match("/a/a")).contains(Map.of("x", "a"));
        assertThat(repeated.match("/a/b")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/{#x}", "/{.x}", "{/x}", "/{;x}", "/{x*}", "/{x:3}", "/{x", "/{}", "/{a b}", "/a b", "/100%",
        "https://{proxy}/x", "/{x}{y}", "/{?x}/tail",
    })
    void refusesTemplatesOutsideTheSubset(String template) {
        assertThatThrownBy(() -> UriTemplate.parse(template)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void expansionMatchesBack(@ForAll String host, @ForAll String port) {
        UriTemplate t = UriTemplate.parse(UriTemplate.CONNECT_UDP_DEFAULT_PATH);
        Map<String, String> values = new HashMap<>(Map.of("target_host", host, "target_port", port));
        Optional<Map<String, String>> back = t.match(t.expand(values));
        // Strings with unpaired surrogates cannot be UTF-8 encoded and come back different.
        if (wellFormed(host) && wellFormed(port)) {
            assertThat(back).contains(values);
        }
    }

    @Property
    void formQueryExpansionMatchesBack(@ForAll String a, @ForAll String b) {
        UriTemplate t = UriTemplate.parse("https://proxy.example.org/m{?a,b}");
        String expanded = t.expand(Map.of("a", a, "b", b));
        String path = expanded.substring("https://proxy.example.org".length());
        if (wellFormed(a) && wellFormed(b)) {
            assertThat(t.match(path)).contains(Map.of("a", a, "b", b));
        }
    }

    /** No unpaired surrogate: the string has a UTF-8 form. */
    private static boolean wellFormed(String s) {
        return s.codePoints().noneMatch(cp -> cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
    }
}
