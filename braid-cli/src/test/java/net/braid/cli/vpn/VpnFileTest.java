package net.braid.cli.vpn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import net.braid.config.ConfigError;
import net.braid.config.ConfigException;
import net.braid.masque.codec.ConnectIpScope;
import net.braid.masque.h3.ServerTrust;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VpnFileTest {
    static final String PIN = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

    @TempDir Path dir;

    @Test
    void readsEveryKey() throws Exception {
        Files.writeString(dir.resolve("token"), "\n  file-token \n");
        VpnSettings s = VpnFile.parse("""
                [Vpn]
                Proxy = proxy.example:4433
                TokenFile = token
                PinnedKey = sha256/%s, %s
                ServerName = edge.example
                Target = 198.18.0.0/15
                IpProto = 17
                Tun = vpn9
                Mtu = 1400
                Table = 100
                """.formatted(PIN, PIN), dir);
        assertThat(s.proxy().host()).isEqualTo("proxy.example");
        assertThat(s.proxy().port()).isEqualTo(4433);
        assertThat(s.token()).isEqualTo("file-token");
        assertThat(s.trust()).isEqualTo(new ServerTrust.PinnedKeys(java.util.Set.of(PIN)));
        assertThat(s.authority()).isEqualTo("edge.example:4433");
        assertThat(s.scope().variables()).containsEntry(ConnectIpScope.TARGET, "198.18.0.0/15").containsEntry(ConnectIpScope.IPPROTO, "17");
        assertThat(s.tun()).isEqualTo("vpn9");
        assertThat(s.mtu()).isEqualTo(1400);
        assertThat(s.table()).isEqualTo(100);
    }

    @Test
    void defaults() throws Exception {
        VpnSettings s = VpnFile.parse("[Vpn]\nProxy = [2001:db8::1]:443\nToken = t0k\nPinnedKey = " + PIN + "\n", dir);
        assertThat(s.scope()).isEqualTo(ConnectIpScope.ANY);
        assertThat(s.tun()).isEqualTo(VpnSettings.DEFAULT_TUN);
        assertThat(s.mtu()).isEqualTo(1280);
        assertThat(s.table()).isEqualTo(VpnSettings.DEFAULT_TABLE);
        assertThat(s.authority()).isEqualTo("[2001:db8::1]:443");
        assertThat(s.transport()).isEqualTo(VpnSettings.Transport.AUTO);
    }

    @Test
    void transportIsH3H2OrAuto() throws Exception {
        String base = "[Vpn]\nProxy = 198.18.0.1:443\nToken = t0k\nPinnedKey = " + PIN + "\n";
        assertThat(VpnFile.parse(base + "Transport = h2\n", dir).transport()).isEqualTo(VpnSettings.Transport.H2);
        assertThat(VpnFile.parse(base + "Transport = H3\n", dir).transport()).isEqualTo(VpnSettings.Transport.H3);
        assertThatThrownBy(() -> VpnFile.parse(base + "Transport = quic\n", dir)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.getMessage()).contains("Vpn.Transport invalid: h3, h2 or auto; given quic"));
    }

    @Test
    void reportsEveryProblemOnceWithSectionKeyAndValueButNeverTheToken() {
        assertThatThrownBy(() -> VpnFile.parse("""
                [Vpn]
                Proxy = proxy.example:99999
                Token = sec ret
                PinnedKey = sha256/short
                Target = not a host!
                IpProto = 300
                Mtu = 1000
                Table = 254
                Tun = a/b
                Colour = blue
                """, dir))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::message).containsExactly(
                        "unknown key [Vpn] Colour at line 10; expected one of Proxy, ServerName, Token, TokenFile, CaFile, Target,"
                                + " IpProto, Tun, Mtu, Table, Transport, ClientCertificate, ClientKey, PinnedKey",
                        "Vpn.Proxy invalid: port max 65535; given 99999",
                        "Vpn.Token invalid: a bearer token is A-Z a-z 0-9 - . _ ~ + / then = (RFC 6750 §2.1); given a value of 7 characters",
                        "Vpn.PinnedKey invalid: sha256/ then the base64 SHA-256 (32 bytes) of the proxy's public key; given sha256/short",
                        "Vpn.Target invalid: target must be *, a DNS name or an IP prefix; given not a host!",
                        "Vpn.Tun invalid: an interface name of 1 to 15 printable characters without '/', ':' or spaces expected; given a/b",
                        "Vpn.Mtu invalid: a whole number 1280..65535 expected; given 1000",
                        "Vpn.Table invalid: a table of braid's own, not the kernel's default, main or local; given 254"))
                .hasMessageNotContaining("sec ret");
    }

    @Test
    void missingKeysAndSections() {
        assertThatThrownBy(() -> VpnFile.parse("[Vpn]\n", dir)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.errors()).extracting(ConfigError::key).containsExactly("Proxy", "Token", "PinnedKey"));
        assertThatThrownBy(() -> VpnFile.parse("[Proxy]\nListen = 1.2.3.4:5\n", dir)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.errors()).extracting(ConfigError::message).containsExactly(
                        "unknown section [Proxy] at line 1; expected [Vpn]",
                        "Vpn missing: a vpn file needs a [Vpn] section with Proxy, Token and PinnedKey or CaFile"));
        assertThatThrownBy(() -> VpnFile.parse("[Vpn]\nProxy = p:1\nToken = a\nTokenFile = f\nPinnedKey = " + PIN
                + "\nCaFile = ca.pem\nIpProto = 0\n", dir)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.errors()).extracting(ConfigError::key).containsExactly("TokenFile", "CaFile", "IpProto"));
    }
}
