package net.braid.masque.udp;

import java.time.Duration;
import java.util.Objects;
import net.braid.masque.codec.UriTemplate;

/**
 * What a {@link MasqueProxyHandler} needs to know.
 *
 * @param tokens          accepted bearer tokens; every request needs one
 * @param udpTemplate     the CONNECT-UDP URI template (RFC 9298 §2); only its path and query are matched
 * @param policy          which target addresses may be reached
 * @param resolver        DNS, off the event loop
 * @param dnsTimeout      how long a lookup may take before {@code dns_timeout}
 * @param connectTimeout  how long a TCP connect may take before {@code connection_timeout}
 * @param udpIdleTimeout  a UDP session with no datagram either way for this long is closed
 */
public record ProxyConfig(AccessTokens tokens, UriTemplate udpTemplate, TargetPolicy policy, HostResolver resolver,
                          Duration dnsTimeout, Duration connectTimeout, Duration udpIdleTimeout) {

    public ProxyConfig {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(udpTemplate, "udpTemplate");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(resolver, "resolver");
        if (!udpTemplate.variableNames().containsAll(java.util.List.of("target_host", "target_port"))) {
            throw new IllegalArgumentException("a CONNECT-UDP template needs target_host and target_port (RFC 9298 §2): " + udpTemplate);
        }
        for (Duration d : new Duration[] {dnsTimeout, connectTimeout, udpIdleTimeout}) {
            if (d.isZero() || d.isNegative()) throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /**
     * The default template {@value UriTemplate#CONNECT_UDP_DEFAULT_PATH}, the default target policy,
     * the system resolver, 5 s for DNS, 10 s to connect, and UDP sessions idle for 2 minutes closed
     * (RFC 4787 REQ-5's floor for NAT UDP mappings).
     */
    public static ProxyConfig defaults(AccessTokens tokens) {
        return new ProxyConfig(tokens, UriTemplate.parse(UriTemplate.CONNECT_UDP_DEFAULT_PATH), TargetPolicy.defaults(),
                HostResolver.system(), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMinutes(2));
    }

    public ProxyConfig withPolicy(TargetPolicy policy) {
        return new ProxyConfig(tokens, udpTemplate, policy, resolver, dnsTimeout, connectTimeout, udpIdleTimeout);
    }

    public ProxyConfig withUdpIdleTimeout(Duration idle) {
        return new ProxyConfig(tokens, udpTemplate, policy, resolver, dnsTimeout, connectTimeout, idle);
    }
}
