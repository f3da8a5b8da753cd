package net.braid.masque.h3;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** How an HTTP/3 client decides to trust the server: a CA file, or a pinned public key. */
public sealed interface ServerTrust {

    /** Certificates chained to one of these CAs, valid now, naming the host the client dialled. */
    record CertificateAuthorities(List<X509Certificate> anchors) implements ServerTrust {
        public CertificateAuthorities {
            anchors = List.copyOf(anchors);
            if (anchors.isEmpty()) throw new IllegalArgumentException("no CA certificate");
        }

        public static CertificateAuthorities fromPem(Path caPem) throws IOException, GeneralSecurityException {
            return new CertificateAuthorities(Certificates.readCertificates(caPem));
        }
    }

    /** A leaf whose SubjectPublicKeyInfo hashes (SHA-256, base64) to one of these pins. */
    record PinnedKeys(Set<String> sha256Pins) implements ServerTrust {
        public PinnedKeys {
            sha256Pins = Set.copyOf(sha256Pins);
            if (sha256Pins.isEmpty()) throw new IllegalArgumentException("no pinned key");
        }

        public static PinnedKeys of(String... pins) {
            return new PinnedKeys(Set.of(pins));
        }
    }

    /** The trust manager that judges the server's certificate chain. */
    default X509ExtendedTrustManager trustManager() throws GeneralSecurityException {
        return switch (this) {
            case CertificateAuthorities(var anchors) -> {
                KeyStore store = KeyStore.getInstance("PKCS12");
                try {
                    store.load(null, null);
                } catch (IOException e) {
                    throw new GeneralSecurityException(e);
                }
                for (int i = 0; i < anchors.size(); i++) store.setCertificateEntry("ca" + i, anchors.get(i));
                var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store);
                for (TrustManager manager : factory.getTrustManagers()) {
                    if (manager instanceof X509ExtendedTrustManager x509) yield x509;
                }
                throw new GeneralSecurityException("the JDK offers no X509ExtendedTrustManager");
            }
            case PinnedKeys(var pins) -> new PinnedKeyTrustManager(pins);
        };
    }

    /** Whether the certificate must also name the host dialled (RFC 9110 §4.3.4); a pin needs no name. */
    default boolean checksServerName() {
        return this instanceof CertificateAuthorities;
    }
}
