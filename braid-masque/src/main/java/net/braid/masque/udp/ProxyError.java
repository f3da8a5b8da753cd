package net.braid.masque.udp;

/**
 * Why the proxy refused a request: the Proxy-Status error type (RFC 9209 §2.3) and the HTTP status
 * code that section recommends for it.
 */
public enum ProxyError {
    /** Malformed request: template mismatch, bad target (RFC 9209 §2.3.16). */
    HTTP_REQUEST_ERROR("http_request_error", 400),
    /** Missing or wrong credentials, or a method the proxy does not serve (RFC 9209 §2.3.17). */
    HTTP_REQUEST_DENIED("http_request_denied", 403),
    /** The name did not resolve (RFC 9209 §2.3.2). */
    DNS_ERROR("dns_error", 502),
    /** The resolver did not answer in time (RFC 9209 §2.3.1). */
    DNS_TIMEOUT("dns_timeout", 504),
    /** The target's address is in a range the policy forbids (RFC 9209 §2.3.5). */
    DESTINATION_IP_PROHIBITED("destination_ip_prohibited", 403),
    /** No route, host unreachable, or no socket could be opened to it (RFC 9209 §2.3.4). */
    DESTINATION_UNAVAILABLE("destination_unavailable", 503),
    /** The target refused the TCP connection (RFC 9209 §2.3.7). */
    CONNECTION_REFUSED("connection_refused", 502),
    /** The TCP connection did not complete in time (RFC 9209 §2.3.9). */
    CONNECTION_TIMEOUT("connection_timeout", 504),
    /** Anything the proxy did wrong itself (RFC 9209 §2.3.32). */
    PROXY_INTERNAL_ERROR("proxy_internal_error", 500);

    private final String token;
    private final int status;

    ProxyError(String token, int status) {
        this.token = token;
        this.status = status;
    }

    /** The error type as it appears in the Proxy-Status field. */
    public String token() {
        return token;
    }

    /** The HTTP status code RFC 9209 recommends. */
    public int status() {
        return status;
    }
}
