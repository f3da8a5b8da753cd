package net.braid.masque.h3;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a server whose leaf certificate carries one of the pinned public keys (base64 SHA-256 of
 * the SubjectPublicKeyInfo, as {@link Certificates#spkiSha256} prints it). Names and validity dates
 * are not checked: the pin alone binds the server, which suits self-signed proxies.
 *
 * <p>The handshake already proved possession of the leaf's private key, so only the leaf is pinned.
 */
public final class PinnedKeyTrustManager extends X509ExtendedTrustManager {
    private final Set<String> pins;

    public PinnedKeyTrustManager(Set<String> pins) {
        if (pins.isEmpty()) throw new IllegalArgumentException("no pinned key");
        this.pins = Set.copyOf(pins);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) throw new CertificateException("server sent no certificate");
        String presented = Certificates.spkiSha256(chain[0]);
        if (!pins.contains(presented)) {
            throw new CertificateException("server public key sha256/" + presented
                    + " matches no pinned key " + pins + " (subject " + chain[0].getSubjectX500Principal() + ")");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a pinned-key trust manager verifies servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
