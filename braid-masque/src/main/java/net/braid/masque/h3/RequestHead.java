package net.braid.masque.h3;

import io.netty.handler.codec.http3.Http3Headers;

/**
 * The pseudo-headers of a request (RFC 9114 §4.3.1) and all its fields. {@code protocol} is the
 * extended CONNECT :protocol (RFC 9220 §3), e.g. "connect-udp" (RFC 9298) or "connect-ip" (RFC 9484),
 * or null for any other request.
 */
public record RequestHead(String method, String protocol, String scheme, String authority, String path,
                          Http3Headers headers) {

    /** From a request's fields (an HTTP/2 server converts its own to Http3Headers first). */
    public static RequestHead of(Http3Headers headers) {
        return new RequestHead(text(headers.method()), text(headers.protocol()), text(headers.scheme()),
                text(headers.authority()), text(headers.path()), headers);
    }

    /** A field's value, or null when absent. */
    public String header(String name) {
        return text(headers.get(name));
    }

    public boolean isExtendedConnect() {
        return "CONNECT".equals(method) && protocol != null;
    }

    private static String text(CharSequence value) {
        return value == null ? null : value.toString();
    }
}
