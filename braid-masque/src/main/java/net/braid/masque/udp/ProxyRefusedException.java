package net.braid.masque.udp;

import java.io.IOException;

/** The proxy answered a CONNECT or CONNECT-UDP with a status other than 2xx. */
public final class ProxyRefusedException extends IOException {
    private final int status;
    private final String proxyStatus;

    public ProxyRefusedException(String request, int status, String proxyStatus) {
        super("proxy refused " + request + " with " + status + (proxyStatus == null ? "" : ", Proxy-Status: " + proxyStatus));
        this.status = status;
        this.proxyStatus = proxyStatus;
    }

    /** The HTTP status code. */
    public int status() {
        return status;
    }

    /** The Proxy-Status field (RFC 9209), or null when the proxy sent none. */
    public String proxyStatus() {
        return proxyStatus;
    }

    /** The Proxy-Status error type, e.g. {@code destination_ip_prohibited}, or null. */
    public String proxyError() {
        return ProxyStatus.errorOf(proxyStatus);
    }
}
