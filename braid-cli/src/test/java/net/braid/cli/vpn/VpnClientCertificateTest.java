package net.braid.cli.vpn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.nio.file.Path;
import net.braid.config.ConfigError;
import net.braid.config.ConfigException;
import net.braid.masque.h3.Certificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** [Vpn] ClientCertificate and ClientKey: both or neither, loaded relative to the file. */
class VpnClientCertificateTest {
    static final String BASE = "[Vpn]\nProxy = 198.18.0.1:443\nToken = t0k\nPinnedKey = " + VpnFileTest.PIN + "\n";
    @TempDir Path dir;

    @Test
    void neitherMeansNoClientCertificate() throws Exception {
        assertThat(VpnFile.parse(BASE, dir).clientIdentity()).isNull();
    }

    @Test
    void bothLoadTheChainAndKey() throws Exception {
        var ca = Certificates.certificateAuthority("clients", Duration.ofDays(1));
        var client = Certificates.issueClient(ca, "laptop", Duration.ofDays(1));
        Certificates.write(client, dir.resolve("client.crt"), dir.resolve("client.key"));
        VpnSettings s = VpnFile.parse(BASE + "ClientCertificate = client.crt\nClientKey = client.key\n", dir);
        assertThat(s.clientIdentity().chain()).containsExactlyElementsOf(client.chain());
        assertThat(s.clientIdentity().key().getEncoded()).isEqualTo(client.key().getEncoded());
    }

    @Test
    void oneWithoutTheOtherIsAnError() {
        assertThat(messages(BASE + "ClientCertificate = client.crt\n")).containsExactly(
                "Vpn.ClientCertificate invalid: needs ClientKey too (or neither); given client.crt");
        assertThat(messages(BASE + "ClientKey = client.key\n")).containsExactly(
                "Vpn.ClientKey invalid: needs ClientCertificate too (or neither); given client.key");
    }

    @Test
    void anUnreadableFileNamesKeyAndPath() {
        assertThat(messages(BASE + "ClientCertificate = client.crt\nClientKey = client.key\n")).singleElement().asString()
                .startsWith("Vpn.ClientCertificate invalid: cannot load the PEM certificate chain with ClientKey ")
                .contains("no such file").endsWith("; given " + dir.resolve("client.crt"));
    }

    private java.util.List<String> messages(String text) {
        var failure = new ConfigException[1];
        assertThatThrownBy(() -> VpnFile.parse(text, dir)).isInstanceOfSatisfying(ConfigException.class, e -> failure[0] = e);
        return failure[0].errors().stream().map(ConfigError::message).toList();
    }
}
