package net.braid.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a peer is reached: a host name, an IPv4 address or an IPv6 address, and a port. A host
 * name stays a name here; {@link #resolve()} looks it up, at start and again on every reconnect,
 * so a peer that moves behind dynamic DNS is found again. IP literals are kept canonical.
 */
public record Endpoint(String host, int port) {

    // RFC 1123 section 2.1 labels; the last label must not be all digits (that would be a bad IPv4).
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*"
                    + "(?![0-9]+\\.?$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.?");
    private static final String HOST_RULE = "host name or IP address expected";

    /** @throws InvalidValueException when the host is neither a valid name nor an IP literal, or the port is not 1..65535 */
    public Endpoint {
        Objects.requireNonNull(host, "host");
        host = canonicalHost(host);
        if (port < 1) {
            throw new InvalidValueException("port min 1", String.valueOf(port));
        }
        if (port > 65535) {
            throw new InvalidValueException("port max 65535", String.valueOf(port));
        }
    }

    /** An endpoint for a socket address, without a reverse lookup. */
    public static Endpoint of(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        return new Endpoint(ip == null ? address.getHostString() : IpPrefix.host(ip).addressText(), address.getPort());
    }

    /**
     * Parses {@code host:port}, {@code 198.18.0.1:port} or {@code [2001:db8::1]:port}.
     *
     * @throws InvalidValueException naming the broken rule and the offending part
     */
    public static Endpoint parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new InvalidValueException("host:port expected", "nothing");
        }
        String host;
        String portText;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new InvalidValueException("[IPv6]:port expected", s);
            }
            host = s.substring(1, close);
            if (host.indexOf(':') < 0) {
                throw new InvalidValueException("IPv6 address expected inside brackets", host);
            }
            portText = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0) {
                throw new InvalidValueException("host:port expected", s);
            }
            if (s.indexOf(':') != colon) {
                throw new InvalidValueException("IPv6 address in brackets expected, like [2001:db8::1]:51820", s);
            }
            host = s.substring(0, colon);
            portText = s.substring(colon + 1);
        }
        if (!portText.matches("[0-9]+")) {
            throw new InvalidValueException("port must be a whole number", portText.isEmpty() ? "nothing" : portText);
        }
        if (portText.replaceFirst("^0+(?=[0-9])", "").length() > 5) {
            throw new InvalidValueException("port max 65535", portText);
        }
        return new Endpoint(host, Integer.parseInt(portText));
    }

    private static String canonicalHost(String host) {
        if (host.isEmpty()) {
            throw new InvalidValueException(HOST_RULE, "nothing");
        }
        if (host.indexOf(':') >= 0) {
            return IpPrefix.host(IpPrefix.parseAddress(host, host)).addressText();
        }
        if (IpPrefix.parseV4(host) >= 0) {
            return host;
        }
        if (!HOST_NAME.matcher(host).matches()) {
            throw new InvalidValueException(HOST_RULE, host);
        }
        return host;
    }

    /** Whether the host is an IP address, so no DNS lookup is needed. */
    public boolean isLiteral() {
        return literal().isPresent();
    }

    /** The host as an address when it is an IP literal; never asks DNS. */
    public Optional<InetAddress> literal() {
        if (host.indexOf(':') >= 0 || IpPrefix.parseV4(host) >= 0) {
            return Optional.of(IpPrefix.parse(host).address());
        }
        return Optional.empty();
    }

    /** Looks the host up now (a name goes to DNS); call at start and on each reconnect. */
    public InetSocketAddress resolve() throws UnknownHostException {
        Optional<InetAddress> ip = literal();
        return new InetSocketAddress(ip.isPresent() ? ip.get() : InetAddress.getByName(host), port);
    }

    /** {@code host:port}, with brackets around an IPv6 address. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
