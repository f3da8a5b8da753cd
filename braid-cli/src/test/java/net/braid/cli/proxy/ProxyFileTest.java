package net.braid.cli.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.braid.config.ConfigError;
import net.braid.config.ConfigException;
import net.braid.config.IpPrefix;
import net.braid.masque.h3.Certificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyFileTest {
    @TempDir Path dir;

    static List<String> errors(String text, Path dir) {
        try {
            ProxyFile.parse(text, dir);
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::message).toList();
        }
        throw new AssertionError("no ConfigException for:\n" + text);
    }

    List<String> errors(String text) {
        return errors(text, dir);
    }

    @Test
    void readsEveryKey() throws Exception {
        Files.writeString(dir.resolve("tokens"), "# clients\nfile-token-1\n\nfile-token-2\n");
        ProxySettings s = ProxyFile.parse("""
                [Proxy]
                Listen = 198.18.0.1:4433
                Token = a-token, b.token
                Token = c~token==
                TokenFile = tokens
                AllowTarget = 198.18.0.0/15, 2001:db8::/32
                AllowTarget = 198.18.7.7
                UdpIdleTimeout = 30
                """, dir);
        assertThat(s.listen()).isEqualTo(new InetSocketAddress("198.18.0.1", 4433));
        assertThat(s.tokens()).containsExactlyInAnyOrder("a-token", "b.token", "c~token==", "file-token-1", "file-token-2");
        assertThat(s.allowedTargets()).containsExactly(IpPrefix.parse("198.18.0.0/15"), IpPrefix.parse("2001:db8::/32"),
                IpPrefix.parse("198.18.7.7/32"));
        assertThat(s.udpIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.selfSigned()).isTrue();
    }

    @Test
    void defaultsAndCaseInsensitiveNames() throws Exception {
        ProxySettings s = ProxyFile.parse("[proxy]\nlisten = [2001:db8::1]:443\ntoken = t\n", dir);
        assertThat(s.listen()).isEqualTo(new InetSocketAddress("2001:db8::1", 443));
        assertThat(s.allowedTargets()).isEmpty();
        assertThat(s.udpIdleTimeout()).isEqualTo(ProxySettings.DEFAULT_UDP_IDLE);
    }

    @Test
    void loadsCertificateAndKeyRelativeToTheFile() throws Exception {
        var identity = Certificates.selfSigned(List.of("proxy.test"), Duration.ofDays(1));
        Certificates.write(identity, dir.resolve("proxy.crt"), dir.resolve("proxy.key"));
        Path file = dir.resolve("edge.conf");
        Files.writeString(file, "[Proxy]\nListen = 0.0.0.0:443\nCertificate = proxy.crt\nPrivateKey = proxy.key\nToken = t\n");
        ProxySettings s = ProxyFile.read(file);
        assertThat(s.selfSigned()).isFalse();
        assertThat(Certificates.spkiSha256(s.identity().leaf())).isEqualTo(Certificates.spkiSha256(identity.leaf()));
    }

    @Test
    void missingSectionAndKeys() {
        assertThat(errors("")).containsExactly("Proxy missing: a proxy file needs a [Proxy] section with Listen and Token");
        assertThat(errors("[Proxy]\n")).containsExactly(
                "Proxy.Listen missing: the UDP address to serve HTTP/3 on, e.g. 198.18.0.1:443",
                "Proxy.Token missing: the proxy refuses unauthenticated use; give Token = ... or TokenFile = PATH");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Listen = 198.18.0.1|Proxy.Listen invalid: host:port expected; given 198.18.0.1",
            "Listen = 198.18.0.1:70000|Proxy.Listen invalid: port max 65535; given 70000",
            "Listen = 198.18.0.1:0|Proxy.Listen invalid: port min 1; given 0",
            "Listen = proxy.example:443|Proxy.Listen invalid: an IP address to bind expected, not a name (0.0.0.0 or [::] for all); given proxy.example:443",
            "Listen = 2001:db8::1:443|Proxy.Listen invalid: IPv6 address in brackets expected, like [2001:db8::1]:51820; given 2001:db8::1:443",
            "UdpIdleTimeout = soon|Proxy.UdpIdleTimeout invalid: whole number of seconds expected; given soon",
            "UdpIdleTimeout = 0|Proxy.UdpIdleTimeout invalid: seconds between 1 and 86400; given 0",
            "AllowTarget = 198.18.0.0/33|Proxy.AllowTarget invalid: prefix length max 32 for IPv4; given 198.18.0.0/33",
            "AllowTarget = example.com|Proxy.AllowTarget invalid: IP address expected, like 198.18.0.1 or 2001:db8::1; given example.com",
            "Token = not a token!|Proxy.Token invalid: a bearer token is A-Z a-z 0-9 - . _ ~ + / then = (RFC 6750 §2.1); given a value of 12 characters",
            "Colour = blue|unknown key [Proxy] Colour at line 4; expected one of Listen, ListenTcp, Certificate, PrivateKey, TokenFile, UdpIdleTimeout, ClientCa, Token, AllowTarget",
            "Listen = 198.18.0.1:2|duplicate key [Proxy] Listen at line 4; first at line 2",
            "Certificate = proxy.crt|Proxy.Certificate invalid: needs PrivateKey too (or neither, for a self-signed certificate); given proxy.crt",
            "PrivateKey = proxy.key|Proxy.PrivateKey invalid: needs Certificate too (or neither, for a self-signed certificate); given proxy.key"})
    void eachBrokenRuleNamesKeyRuleAndValue(String line, String message) {
        String base = line.startsWith("Listen =") && !line.endsWith(":2") ? "" : "Listen = 198.18.0.1:443\n";
        String text = "[Proxy]\n" + base + "Token = t\n" + line + "\n";
        if (base.isEmpty()) text = "[Proxy]\n\nToken = t\n" + line + "\n";
        assertThat(errors(text)).containsExactly(message);
    }

    @Test
    void allErrorsAtOnce() {
        assertThat(errors("[Proxy]\nListen = 1.2.3.4:99999\nUdpIdleTimeout = -1\nAllowTarget = x\n[Vpn]\nA = b\n")).containsExactly(
                "unknown section [Vpn] at line 5; expected [Proxy], [ConnectIp]",
                "Proxy.Listen invalid: port max 65535; given 99999",
                "Proxy.Token missing: the proxy refuses unauthenticated use; give Token = ... or TokenFile = PATH",
                "Proxy.AllowTarget invalid: IP address expected, like 198.18.0.1 or 2001:db8::1; given x",
                "Proxy.UdpIdleTimeout invalid: whole number of seconds expected; given -1");
    }

    @Test
    void duplicateSection() {
        assertThat(errors("[Proxy]\nListen = 198.18.0.1:1\nToken = t\n[Proxy]\n"))
                .containsExactly("duplicate section [Proxy] at line 4; first at line 1");
    }

    @Test
    void syntaxErrorsComeFromTheIniParser() {
        assertThat(errors("[Proxy]\nListen 198.18.0.1:443\n"))
                .containsExactly("syntax error at line 2: expected [Section] or Key = Value; given 'Listen 198.18.0.1:443'");
    }

    @Test
    void unreadableFiles() throws Exception {
        String head = "[Proxy]\nListen = 198.18.0.1:443\n";
        Path tokens = dir.resolve("tokens");
        assertThat(errors(head + "TokenFile = tokens\n"))
                .containsExactly("Proxy.TokenFile invalid: cannot read: no such file; given " + tokens);
        Files.writeString(tokens, "# none yet\n");
        assertThat(errors(head + "TokenFile = tokens\n"))
                .containsExactly("Proxy.TokenFile invalid: no token in the file (one a line; # starts a comment); given " + tokens);
        Files.writeString(tokens, "good\nbad token\n");
        assertThat(errors(head + "TokenFile = tokens\n"))
                .containsExactly("Proxy.TokenFile invalid: line 2 is not a bearer token (A-Z a-z 0-9 - . _ ~ + / then =, RFC 6750 §2.1); given " + tokens);
        Files.writeString(dir.resolve("proxy.key"), "not PEM\n");
        assertThat(errors(head + "Token = t\nCertificate = proxy.crt\nPrivateKey = proxy.key\n"))
                .containsExactly("Proxy.Certificate invalid: a readable PEM file expected: no such file; given " + dir.resolve("proxy.crt"));
        Files.writeString(dir.resolve("proxy.crt"), "not PEM either\n");
        assertThat(errors(head + "Token = t\nCertificate = proxy.crt\nPrivateKey = proxy.key\n")).singleElement()
                .satisfies(m -> assertThat(m).startsWith("Proxy.Certificate invalid: cannot load the PEM certificate chain with PrivateKey "
                        + dir.resolve("proxy.key")).endsWith("; given " + dir.resolve("proxy.crt")));
    }

    @Test
    void readNamesAMissingFile() {
        Path file = dir.resolve("nope.conf");
        assertThatThrownBy(() -> ProxyFile.read(file)).isInstanceOf(ConfigException.class)
                .hasMessage("cannot read " + file + ": no such file");
    }
}
