package net.braid.forward;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * One end of a forward, written as a URL: {@code tcp://host:port}, {@code quic://host:port},
 * {@code ws://host:port/path} or {@code wss://host:port/path}. An IPv6 literal goes in brackets.
 *
 * @param path the HTTP path of a WebSocket end ("/" when absent); "/" for the others
 */
public record ForwardUrl(Scheme scheme, String host, int port, String path) {

    /** How bytes travel to or from this end. */
    public enum Scheme {
        /** Plain TCP. */
        TCP(false),
        /** One QUIC stream per TCP connection, ALPN {@value QuicForwarding#ALPN}; always TLS 1.3. */
        QUIC(true),
        /** RFC 6455 WebSocket over plain TCP. */
        WS(false),
        /** RFC 6455 WebSocket over TLS. */
        WSS(true);

        private final boolean tls;

        Scheme(boolean tls) {
            this.tls = tls;
        }

        public boolean tls() {
            return tls;
        }

        public String prefix() {
            return name().toLowerCase(Locale.ROOT) + "://";
        }
    }

    public ForwardUrl {
        if (host.isEmpty()) throw new IllegalArgumentException("no host");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    /**
     * Parses {@code text}; the message of the exception says what is wrong and shows the expected
     * form, so a command line can print it beside the option's name.
     */
    public static ForwardUrl parse(String text) {
        String expected = "expected tcp://HOST:PORT, quic://HOST:PORT, ws://HOST:PORT[/PATH] or wss://HOST:PORT[/PATH]";
        if (!text.contains("://")) throw new IllegalArgumentException("no scheme; " + expected);
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL (" + e.getReason() + "); " + expected);
        }
        if (uri.getScheme() == null) throw new IllegalArgumentException("no scheme; " + expected);
        Scheme scheme;
        try {
            scheme = Scheme.valueOf(uri.getScheme().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown scheme '" + uri.getScheme() + "'; " + expected);
        }
        if (uri.getHost() == null) throw new IllegalArgumentException("no host; " + expected);
        if (uri.getPort() < 0) throw new IllegalArgumentException("no port; " + expected);
        if (uri.getPort() > 65535) throw new IllegalArgumentException("port out of range: " + uri.getPort() + "; " + expected);
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("user info, query and fragment are not allowed; " + expected);
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (!path.equals("/") && (scheme == Scheme.TCP || scheme == Scheme.QUIC)) {
            throw new IllegalArgumentException(scheme.prefix() + " takes no path; " + expected);
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return new ForwardUrl(scheme, host, uri.getPort(), path);
    }

    /** The address to bind or dial; names are resolved now. */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(host, port);
    }

    /** The same end on another port (a listener bound to port 0 reports its real port this way). */
    public ForwardUrl withPort(int newPort) {
        return new ForwardUrl(scheme, host, newPort, path);
    }

    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return scheme.prefix() + h + ":" + port + (path.equals("/") ? "" : path);
    }
}
