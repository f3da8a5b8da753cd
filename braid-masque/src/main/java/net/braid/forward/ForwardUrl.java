package net.braid.forward;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import net.braid.masque.codec.ConnectUdpTarget;

/**
 * One end of a forward, written as a URL: {@code tcp://host:port}, {@code quic://host:port},
 * {@code ws://host:port/path}, {@code wss://host:port/path} or
 * {@code h3://proxy:port/targethost:targetport}. An IPv6 literal goes in brackets, also in an h3
 * target ({@code h3://[2001:db8::1]:443/[2001:db8::2]:22}).
 *
 * @param path the HTTP path of a WebSocket end ("/" when absent); for h3 "/" then the CONNECT
 *             target as {@code host:port}; "/" for the others
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
        WSS(true),
        /**
         * HTTP/3 CONNECT (RFC 9114 §4.4) through a proxy, one request stream per TCP connection; the
         * URL's path names the target. Only a dialling end: {@code braid proxy} is the serving one.
         */
        H3(true);

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
        String expected = "expected tcp://HOST:PORT, quic://HOST:PORT, ws://HOST:PORT[/PATH], wss://HOST:PORT[/PATH]"
                + " or h3://PROXY:PORT/TARGETHOST:TARGETPORT";
        if (!text.contains("://")) throw new IllegalArgumentException("no scheme; " + expected);
        if (text.regionMatches(true, 0, "h3://", 0, 5)) return parseH3(text, expected);
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

    /**
     * {@code h3://PROXY:PORT/TARGET:PORT}: the proxy part is read as any other URL; the target is
     * split off first because java.net.URI refuses an IPv6 literal's brackets in a path.
     */
    private static ForwardUrl parseH3(String text, String expected) {
        int slash = text.indexOf('/', 5);
        if (slash < 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("h3:// needs the target after the proxy, as /HOST:PORT; " + expected);
        }
        ForwardUrl proxy = parse("tcp" + text.substring(2, slash));
        String target = text.substring(slash + 1);
        try {
            ConnectUdpTarget parsed = connectTarget(target);
            String canonical = (parsed.host().indexOf(':') >= 0 ? "[" + parsed.host() + "]" : parsed.host()) + ":" + parsed.port();
            return new ForwardUrl(Scheme.H3, proxy.host(), proxy.port(), "/" + canonical);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("h3:// target '" + target + "': " + e.getMessage() + "; " + expected);
        }
    }

    private static ConnectUdpTarget connectTarget(String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon <= 0 || colon == authority.length() - 1) throw new IllegalArgumentException("expected HOST:PORT");
        String host = authority.substring(0, colon);
        if (host.indexOf(':') >= 0) {
            if (!host.startsWith("[") || !host.endsWith("]")) throw new IllegalArgumentException("an IPv6 literal needs brackets");
            host = host.substring(1, host.length() - 1);
        }
        String port = authority.substring(colon + 1);
        if (!port.matches("[0-9]{1,5}")) throw new IllegalArgumentException("port must be a number 1..65535");
        return new ConnectUdpTarget(host, Integer.parseInt(port));
    }

    /** The CONNECT target of an h3 end, {@code host:port} as sent in :authority (RFC 9114 §4.4). */
    public String connectAuthority() {
        if (scheme != Scheme.H3) throw new IllegalStateException(scheme.prefix() + " has no CONNECT target");
        return path.substring(1);
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
