package net.braid.masque.codec;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import net.braid.config.InvalidValueException;
import net.braid.config.IpPrefix;

/**
 * The scope of a CONNECT-IP request (RFC 9484 §4.6): which hosts ({@code target}) and which IP
 * protocol ({@code ipproto}) the client wants. Either variable absent, or {@code *}, means any.
 *
 * @param target any host, one DNS name, or one IP prefix
 * @param ipProtocol 0..255, or {@link #ANY_PROTOCOL}
 */
public record ConnectIpScope(Target target, int ipProtocol) {

    public static final String TARGET = "target";
    public static final String IPPROTO = "ipproto";
    /** {@code ipproto} absent or {@code *}: every IP protocol. */
    public static final int ANY_PROTOCOL = -1;
    /** The wildcard value of both variables (RFC 9484 §4.6). */
    public static final String WILDCARD = "*";

    /** The full-tunnel scope: any host, any protocol (RFC 9484 §8's {@code /.well-known/masque/ip/*}{@code /*}/). */
    public static final ConnectIpScope ANY = new ConnectIpScope(Target.Any.INSTANCE, ANY_PROTOCOL);

    /** What {@code target} names. */
    public sealed interface Target {
        /** {@code *} or absent: any host the proxy allows. */
        enum Any implements Target { INSTANCE }

        /** A DNS name the proxy resolves (RFC 9484 §4.6). */
        record Host(String name) implements Target {
            public Host {
                if (name == null || !DnsName.isValid(name)) throw new IllegalArgumentException("not a DNS name: " + name);
            }
        }

        /**
         * An IPv4 or IPv6 prefix; an address without a length is a /32 or /128. The request then
         * covers one IP version only.
         */
        record Prefix(IpPrefix prefix) implements Target {
            public Prefix {
                if (prefix == null) throw new IllegalArgumentException("prefix is null");
            }
        }
    }

    public ConnectIpScope {
        if (target == null) throw new IllegalArgumentException("target is null");
        if (ipProtocol < ANY_PROTOCOL || ipProtocol > 255) {
            throw new IllegalArgumentException("IP protocol outside 0..255: " + ipProtocol);
        }
    }

    /**
     * Reads and checks the variables a proxy extracted with {@link UriTemplate#match}.
     *
     * @throws InvalidTargetException when a value is neither {@code *} nor valid
     */
    public static ConnectIpScope fromVariables(Map<String, String> variables) throws InvalidTargetException {
        return new ConnectIpScope(target(variables.get(TARGET)), protocol(variables.get(IPPROTO)));
    }

    private static Target target(String value) throws InvalidTargetException {
        if (value == null || value.equals(WILDCARD)) return Target.Any.INSTANCE;
        // RFC 9484 §4.6: reg-name, or IPv6address / IPv4address ["%2F" 1*3DIGIT]; the slash
        // arrives here already pct-decoded.
        if (value.indexOf(':') >= 0 || value.matches("[0-9./]+")) {
            if (value.indexOf('%') >= 0) {
                throw new InvalidTargetException(TARGET, "IPv6 zone identifiers are not supported", value);
            }
            if (!value.matches("[0-9A-Fa-f:.]+(/[0-9]{1,3})?")) {
                throw new InvalidTargetException(TARGET, "IP prefix expected, like 198.18.0.0/15 or 2001:db8::/32", value);
            }
            try {
                return new Target.Prefix(IpPrefix.parse(value));
            } catch (InvalidValueException e) {
                throw new InvalidTargetException(TARGET, e.rule(), value);
            }
        }
        if (!DnsName.isValid(value)) {
            throw new InvalidTargetException(TARGET, "target must be *, a DNS name or an IP prefix", value);
        }
        return new Target.Host(value);
    }

    private static int protocol(String value) throws InvalidTargetException {
        if (value == null || value.equals(WILDCARD)) return ANY_PROTOCOL;
        if (!value.matches("[0-9]{1,3}") || Integer.parseInt(value) > 255) {
            throw new InvalidTargetException(IPPROTO, "ipproto must be * or a number 0..255", value);
        }
        return Integer.parseInt(value);
    }

    /** The template variables, with {@code *} for any. */
    public Map<String, String> variables() {
        Map<String, String> m = new HashMap<>();
        m.put(TARGET, switch (target) {
            case Target.Any any -> WILDCARD;
            case Target.Host(String name) -> name;
            case Target.Prefix(IpPrefix p) -> p.prefixLength() == (p.isIpv6() ? 128 : 32) ? p.addressText() : p.toString();
        });
        m.put(IPPROTO, ipProtocol == ANY_PROTOCOL ? WILDCARD : Integer.toString(ipProtocol));
        return Map.copyOf(m);
    }

    /**
     * The request target for this scope: {@code template} expanded, with {@code *} written as
     * is, as in RFC 9484 §8's example requests, rather than pct-encoded as {@code %2A}.
     */
    public String expand(UriTemplate template) {
        Set<String> verbatim = new HashSet<>();
        if (target instanceof Target.Any) verbatim.add(TARGET);
        if (ipProtocol == ANY_PROTOCOL) verbatim.add(IPPROTO);
        return template.expand(variables(), verbatim);
    }
}
