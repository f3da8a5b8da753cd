package net.braid.masque.codec;

import java.net.InetAddress;
import java.util.Map;
import net.braid.config.InvalidValueException;
import net.braid.config.IpPrefix;

/**
 * The target of a CONNECT-UDP request (RFC 9298 §2): the template variables
 * {@code target_host} (a DNS name, an IPv4 literal or an IPv6 literal) and {@code target_port}
 * (1..65535).
 *
 * @param host a DNS name or an IP literal; IPv6 without brackets, in RFC 5952 form
 * @param port 1..65535
 */
public record ConnectUdpTarget(String host, int port) {

    public static final String TARGET_HOST = "target_host";
    public static final String TARGET_PORT = "target_port";

    public ConnectUdpTarget {
        try {
            host = canonicalHost(host);
        } catch (InvalidTargetException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port outside 1..65535: " + port);
    }

    /** True when {@link #host()} is an IP literal rather than a name to resolve. */
    public boolean isIpLiteral() {
        return host.indexOf(':') >= 0 || ipv4(host);
    }

    /** The literal address, when {@link #isIpLiteral()}. */
    public InetAddress address() {
        if (!isIpLiteral()) throw new IllegalStateException("not an IP literal: " + host);
        return IpPrefix.parse(host).address();
    }

    /**
     * Reads and checks the variables a proxy extracted with {@link UriTemplate#match}. An IPv6
     * literal in brackets is accepted too, since some clients send one.
     *
     * @throws InvalidTargetException when a variable is missing or invalid
     */
    public static ConnectUdpTarget fromVariables(Map<String, String> variables) throws InvalidTargetException {
        String host = canonicalHost(variables.get(TARGET_HOST));
        String portText = variables.get(TARGET_PORT);
        if (portText == null || !portText.matches("[0-9]{1,5}")) {
            throw new InvalidTargetException(TARGET_PORT, "port must be a number 1..65535", portText);
        }
        int port = Integer.parseInt(portText);
        if (port < 1 || port > 65535) {
            throw new InvalidTargetException(TARGET_PORT, "port must be a number 1..65535", portText);
        }
        return new ConnectUdpTarget(host, port);
    }

    /** The template variables; {@link UriTemplate#expand} pct-encodes an IPv6 literal's colons. */
    public Map<String, String> variables() {
        return Map.of(TARGET_HOST, host, TARGET_PORT, Integer.toString(port));
    }

    /** The request target for this target: {@code template} expanded. */
    public String expand(UriTemplate template) {
        return template.expand(variables());
    }

    private static String canonicalHost(String host) throws InvalidTargetException {
        String rule = "host must be a DNS name, an IPv4 literal or an IPv6 literal";
        if (host == null || host.isEmpty()) throw new InvalidTargetException(TARGET_HOST, rule, host);
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.indexOf(':') >= 0 || ipv4(h)) {
            if (h.indexOf('%') >= 0) {
                throw new InvalidTargetException(TARGET_HOST, "IPv6 zone identifiers are not supported", host);
            }
            if (!h.matches("[0-9A-Fa-f:.]+")) throw new InvalidTargetException(TARGET_HOST, rule, host);
            try {
                return IpPrefix.parse(h).addressText();
            } catch (InvalidValueException e) {
                throw new InvalidTargetException(TARGET_HOST, e.rule(), host);
            }
        }
        if (!DnsName.isValid(h)) throw new InvalidTargetException(TARGET_HOST, rule, host);
        return h;
    }

    private static boolean ipv4(String s) {
        return s.matches("[0-9.]+");
    }
}
