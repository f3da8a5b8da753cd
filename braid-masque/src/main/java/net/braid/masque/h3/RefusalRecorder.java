package net.braid.masque.h3;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Passes every check to the real trust manager and keeps its last refusal: BoringSSL reports only
 * CERTIFICATE_VERIFY_FAILED, so without this the user would never learn why (wrong pin, unknown CA,
 * wrong name, expired).
 */
public final class RefusalRecorder extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;
    private volatile CertificateException refusal;

    public RefusalRecorder(X509ExtendedTrustManager delegate) {
        this.delegate = delegate;
    }

    /** Why the last certificate check failed, or null. */
    public CertificateException refusal() {
        return refusal;
    }

    private interface Check {
        void run() throws CertificateException;
    }

    private void record(Check check) throws CertificateException {
        try {
            check.run();
        } catch (CertificateException e) {
            refusal = e;
            throw e;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        record(() -> delegate.checkServerTrusted(chain, authType));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        record(() -> delegate.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        record(() -> delegate.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        record(() -> delegate.checkClientTrusted(chain, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        record(() -> delegate.checkClientTrusted(chain, authType, socket));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        record(() -> delegate.checkClientTrusted(chain, authType, engine));
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
