package net.braid.masque.h3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificatesTest {
    @TempDir Path dir;

    @Test
    void selfSignedCertificateNamesEveryHostAndAddressAndSurvivesAPemRoundTrip() throws Exception {
        var identity = Certificates.selfSigned(List.of("proxy.example", "127.0.0.1", "2001:db8::1"), Duration.ofDays(2));
        X509Certificate leaf = identity.leaf();

        assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=proxy.example");
        assertThat(leaf.getSubjectAlternativeNames())
                .extracting(san -> san.get(0) + "=" + san.get(1))
                .containsExactly("2=proxy.example", "7=127.0.0.1", "7=2001:db8:0:0:0:0:0:1");
        leaf.checkValidity();

        Path chain = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Certificates.write(identity, chain, key);
        assertThat(Files.readString(chain)).startsWith("-----BEGIN CERTIFICATE-----\n");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----\n");

        var loaded = Certificates.load(chain, key);
        assertThat(loaded.chain()).containsExactly(leaf);
        assertThat(loaded.key().getEncoded()).isEqualTo(identity.key().getEncoded());
    }

    @Test
    void readsRsaPkcs8Keys() throws Exception {
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var pair = generator.generateKeyPair();
        Path key = dir.resolve("rsa.pem");
        Files.writeString(key, Certificates.pem("PRIVATE KEY", pair.getPrivate().getEncoded()));

        var loaded = Certificates.readPrivateKey(key);

        assertThat(loaded.getAlgorithm()).isEqualTo("RSA");
        assertThat(loaded.getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
    }

    @Test
    void aFileWithoutAKeyIsRefusedByName() throws Exception {
        var identity = Certificates.selfSigned(List.of("localhost"), Duration.ofDays(1));
        Path chain = dir.resolve("only-cert.pem");
        Certificates.write(identity, chain, dir.resolve("unused.pem"));

        assertThatThrownBy(() -> Certificates.readPrivateKey(chain))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("no unencrypted private key")
                .hasMessageContaining("only-cert.pem");
    }

    @Test
    void pinIsTheBase64Sha256OfTheSubjectPublicKeyInfo() throws Exception {
        var identity = Certificates.selfSigned(List.of("localhost"), Duration.ofDays(1));
        byte[] spki = identity.leaf().getPublicKey().getEncoded();
        String expected = java.util.Base64.getEncoder().encodeToString(
                java.security.MessageDigest.getInstance("SHA-256").digest(spki));

        assertThat(Certificates.spkiSha256(identity.leaf())).isEqualTo(expected).hasSize(44);
    }

    @Test
    void pinnedKeyTrustManagerAcceptsOnlyThePinnedKey() throws Exception {
        var pinned = Certificates.selfSigned(List.of("localhost"), Duration.ofDays(1)).leaf();
        var other = Certificates.selfSigned(List.of("localhost"), Duration.ofDays(1)).leaf();
        var trust = new PinnedKeyTrustManager(Set.of(Certificates.spkiSha256(pinned)));

        trust.checkServerTrusted(new X509Certificate[] {pinned}, "ECDHE_ECDSA");
        assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[] {other}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("matches no pinned key")
                .hasMessageContaining(Certificates.spkiSha256(other));
        assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[] {pinned}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
    }
}
