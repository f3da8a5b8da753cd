package net.braid.masque.h3;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Which TLS client certificates a server accepts (mutual TLS, RFC 8446 §4.3.2): chains to one of
 * these CAs, valid now, and — where the leaf says what it is for — meant for client authentication.
 * A server given one requires a certificate in every handshake over HTTP/3 and HTTP/2 alike.
 */
public record ClientTrust(List<X509Certificate> authorities) {

    public ClientTrust {
        authorities = List.copyOf(authorities);
        if (authorities.isEmpty()) throw new IllegalArgumentException("no CA certificate for client certificates");
    }

    /** The CA certificates of a PEM file. */
    public static ClientTrust fromPem(Path caPem) throws IOException, GeneralSecurityException {
        return new ClientTrust(Certificates.readCertificates(caPem));
    }

    /** Judges client chains with the JDK's PKIX checks against {@link #authorities} and logs each refusal. */
    public X509ExtendedTrustManager trustManager() throws GeneralSecurityException {
        // The PKIX trust manager judges either side; only its client checks are reached from here.
        return new ClientCertificateJudge(new ServerTrust.CertificateAuthorities(authorities).trustManager());
    }
}
