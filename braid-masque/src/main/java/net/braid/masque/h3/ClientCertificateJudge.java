package net.braid.masque.h3;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A server's judge of client certificates: passes the chain to the PKIX trust manager and logs why
 * it refused one (unknown CA, expired, not for client authentication), with the subject, because the
 * TLS alert the client gets names only the category (RFC 8446 §6.2).
 */
final class ClientCertificateJudge extends X509ExtendedTrustManager {
    private static final Logger LOG = System.getLogger(ClientCertificateJudge.class.getName());
    private final X509ExtendedTrustManager delegate;

    ClientCertificateJudge(X509ExtendedTrustManager delegate) {
        this.delegate = delegate;
    }

    private interface Check {
        void run() throws CertificateException;
    }

    private static void judge(X509Certificate[] chain, String peer, Check check) throws CertificateException {
        try {
            check.run();
        } catch (CertificateException e) {
            String subject = chain == null || chain.length == 0 ? "no certificate"
                    : "subject " + chain[0].getSubjectX500Principal() + ", issuer " + chain[0].getIssuerX500Principal();
            LOG.log(Level.WARNING, "client certificate refused{0}: {1} ({2})", peer, e.getMessage(), subject);
            throw e;
        }
    }

    private static String peer(SSLEngine engine) {
        return engine == null || engine.getPeerHost() == null ? "" : " from " + engine.getPeerHost() + ":" + engine.getPeerPort();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        judge(chain, "", () -> delegate.checkClientTrusted(chain, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        judge(chain, socket == null ? "" : " from " + socket.getRemoteSocketAddress(),
                () -> delegate.checkClientTrusted(chain, authType, socket));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        judge(chain, peer(engine), () -> delegate.checkClientTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client-certificate judge verifies clients only");
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
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
