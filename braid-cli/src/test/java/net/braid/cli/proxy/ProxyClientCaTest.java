package net.braid.cli.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import net.braid.masque.h3.Certificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** [Proxy] ClientCa: the CAs whose client certificates the proxy requires, on top of the token. */
class ProxyClientCaTest {
    static final String BASE = "[Proxy]\nListen = 127.0.0.1:4433\nToken = t0k\n";
    @TempDir Path dir;

    @Test
    void withoutClientCaNoCertificateIsAsked() throws Exception {
        assertThat(ProxyFile.parse(BASE, dir).clientTrust()).isNull();
    }

    @Test
    void readsTheCaCertificatesRelativeToTheFile() throws Exception {
        var ca = Certificates.certificateAuthority("clients", Duration.ofDays(1));
        Certificates.write(ca, dir.resolve("clients-ca.pem"), dir.resolve("clients-ca.key"));
        ProxySettings s = ProxyFile.parse(BASE + "ClientCa = clients-ca.pem\n", dir);
        assertThat(s.clientTrust().authorities()).containsExactly(ca.leaf());
        assertThat(s.tokens()).containsExactly("t0k");
    }

    @Test
    void aMissingOrEmptyFileIsReportedWithKeyAndPath() throws Exception {
        assertThat(ProxyFileTest.errors(BASE + "ClientCa = nope.pem\n", dir)).containsExactly(
                "Proxy.ClientCa invalid: a readable PEM file of CA certificates expected: no such file; given "
                        + dir.resolve("nope.pem"));
        Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
        assertThat(ProxyFileTest.errors(BASE + "ClientCa = empty.pem\n", dir)).singleElement().asString()
                .startsWith("Proxy.ClientCa invalid: a readable PEM file of CA certificates expected: ")
                .endsWith("; given " + dir.resolve("empty.pem"));
    }

    @Test
    void clientCaStillNeedsAToken() {
        assertThat(ProxyFileTest.errors("[Proxy]\nListen = 127.0.0.1:4433\nClientCa = x.pem\n", Path.of("/nonexistent")))
                .anyMatch(m -> m.startsWith("Proxy.Token missing"));
    }
}
