package net.braid.masque.ip;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import net.braid.config.IpPrefix;
import net.braid.masque.codec.ConnectIpScope;
import net.braid.masque.codec.UriTemplate;
import net.braid.masque.udp.AccessTokens;
import net.braid.masque.udp.HostResolver;
import net.braid.masque.udp.TargetPolicy;

/**
 * What a {@link ConnectIpHandler} needs to know.
 *
 * @param tokens     accepted bearer tokens; every request needs one
 * @param template   the CONNECT-IP URI template (RFC 9484 §3); only its path and query are matched
 * @param pool       the prefixes client addresses come from (IPv4 and/or IPv6), see {@link AddressPool}
 * @param reachable  where clients may send packets at most (e.g. {@code 0.0.0.0/0}, {@code ::/0})
 * @param denied     cut out of {@code reachable}; a scope left with nothing is refused with 403
 * @param mtu        the egress MTU: larger packets from clients get ICMP Packet Too Big (RFC 9484 §10.1); at least 1280
 * @param resolver   DNS for scopes that name a host (RFC 9484 §4.6)
 * @param dnsTimeout how long a lookup may take
 * @param maxAddressesPerFamily how many blocks of one IP version a session may hold through ADDRESS_REQUEST
 */
public record ConnectIpConfig(AccessTokens tokens, UriTemplate template, List<IpPrefix> pool, List<IpPrefix> reachable,
                              List<IpPrefix> denied, int mtu, HostResolver resolver, Duration dnsTimeout,
                              int maxAddressesPerFamily) {

    /** RFC 9484 §10.1: an IP tunnel must carry IPv6's minimum MTU. */
    public static final int MIN_MTU = 1280;

    public ConnectIpConfig {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(resolver, "resolver");
        pool = List.copyOf(pool);
        reachable = List.copyOf(reachable);
        denied = List.copyOf(denied);
        if (pool.isEmpty()) throw new IllegalArgumentException("an address pool is needed to assign client addresses");
        if (mtu < MIN_MTU || mtu > 65535) throw new IllegalArgumentException("mtu must be 1280..65535 (RFC 9484 §10.1), not " + mtu);
        if (dnsTimeout.isZero() || dnsTimeout.isNegative()) throw new IllegalArgumentException("dnsTimeout must be positive");
        if (maxAddressesPerFamily < 1) throw new IllegalArgumentException("maxAddressesPerFamily must be at least 1");
        if (!template.variableNames().contains(ConnectIpScope.TARGET) || !template.variableNames().contains(ConnectIpScope.IPPROTO)) {
            // RFC 9484 §3 lets a template omit them; braid's handler matches scopes by them, so it wants both.
            throw new IllegalArgumentException("a CONNECT-IP template needs target and ipproto (RFC 9484 §3): " + template);
        }
    }

    /**
     * The default template {@value UriTemplate#CONNECT_IP_DEFAULT_PATH}, everything reachable except
     * {@link TargetPolicy#DENIED} and the pool itself (no client-to-client traffic), MTU 1500, the
     * system resolver with 5 s, four blocks per IP version per session.
     */
    public static ConnectIpConfig defaults(AccessTokens tokens, List<IpPrefix> pool) {
        List<IpPrefix> denied = new ArrayList<>(TargetPolicy.DENIED);
        denied.addAll(pool);
        return new ConnectIpConfig(tokens, UriTemplate.parse(UriTemplate.CONNECT_IP_DEFAULT_PATH), pool,
                List.of(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("::/0")), denied, 1500, HostResolver.system(),
                Duration.ofSeconds(5), 4);
    }

    public ConnectIpConfig withReachable(List<IpPrefix> reachable, List<IpPrefix> denied) {
        return new ConnectIpConfig(tokens, template, pool, reachable, denied, mtu, resolver, dnsTimeout, maxAddressesPerFamily);
    }

    public ConnectIpConfig withMtu(int mtu) {
        return new ConnectIpConfig(tokens, template, pool, reachable, denied, mtu, resolver, dnsTimeout, maxAddressesPerFamily);
    }

    public ConnectIpConfig withResolver(HostResolver resolver) {
        return new ConnectIpConfig(tokens, template, pool, reachable, denied, mtu, resolver, dnsTimeout, maxAddressesPerFamily);
    }
}
