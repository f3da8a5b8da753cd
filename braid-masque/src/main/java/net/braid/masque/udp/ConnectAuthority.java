package net.braid.masque.udp;

import net.braid.masque.codec.ConnectUdpTarget;

/**
 * The {@code :authority} of a classic CONNECT (RFC 9114 §4.4): {@code host:port}, an IPv6 literal
 * in brackets (RFC 3986 §3.2.2). Host and port follow the same rules as a CONNECT-UDP target.
 */
final class ConnectAuthority {
    private ConnectAuthority() {}

    /** @throws IllegalArgumentException when it is not host:port with a valid host and port 1..65535 */
    static ConnectUdpTarget parse(String authority) {
        if (authority == null || authority.isEmpty()) throw new IllegalArgumentException("CONNECT without :authority");
        int colon = authority.lastIndexOf(':');
        if (colon <= 0 || colon == authority.length() - 1) {
            throw new IllegalArgumentException("CONNECT :authority must be host:port: " + authority);
        }
        String host = authority.substring(0, colon);
        if (host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]"))) {
            throw new IllegalArgumentException("an IPv6 host needs brackets: " + authority);
        }
        String port = authority.substring(colon + 1);
        if (!port.matches("[0-9]{1,5}")) throw new IllegalArgumentException("bad port in " + authority);
        return new ConnectUdpTarget(host, Integer.parseInt(port));
    }

    /** The :authority for {@code host} and {@code port}, bracketing an IPv6 literal. */
    static String format(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
