package net.braid.cli.proxy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import net.braid.cli.ipegress.ConnectIpSettings;
import net.braid.config.IpPrefix;
import net.braid.masque.h3.Certificates;
import net.braid.masque.h3.ClientTrust;

/**
 * The {@code [Proxy]} section of a {@code braid proxy} file, checked.
 *
 * @param listen         UDP address of the HTTP/3 server
 * @param identity       certificate chain and key from Certificate/PrivateKey, or null to generate a
 *                       self-signed one at start
 * @param tokens         bearer tokens clients may present (Token lines and TokenFile lines together)
 * @param allowedTargets prefixes reachable even inside the ranges the proxy refuses by default
 * @param udpIdleTimeout a CONNECT-UDP session idle this long both ways is closed
 * @param connectIp      the [ConnectIp] section (CONNECT-IP egress through a TUN), or null: CONNECT-IP refused
 * @param listenTcp      TCP address of the HTTP/2 fallback (RFC 8441, TLS with ALPN h2), or null for none
 * @param clientTrust    CAs of the client certificates every TLS handshake must present (ClientCa), or
 *                       null: no client certificate asked. A certificate is required in addition to a token
 */
public record ProxySettings(InetSocketAddress listen, Certificates.Identity identity, Set<String> tokens,
                            List<IpPrefix> allowedTargets, Duration udpIdleTimeout, ConnectIpSettings connectIp,
                            InetSocketAddress listenTcp, ClientTrust clientTrust) {

    /** RFC 4787 REQ-5's floor for NAT UDP mappings, as {@code ProxyConfig.defaults} uses. */
    public static final Duration DEFAULT_UDP_IDLE = Duration.ofMinutes(2);

    public ProxySettings {
        Objects.requireNonNull(listen, "listen");
        tokens = Set.copyOf(tokens);
        if (tokens.isEmpty()) throw new IllegalArgumentException("no token");
        allowedTargets = List.copyOf(allowedTargets);
    }

    public ProxySettings(InetSocketAddress listen, Certificates.Identity identity, Set<String> tokens,
                         List<IpPrefix> allowedTargets, Duration udpIdleTimeout) {
        this(listen, identity, tokens, allowedTargets, udpIdleTimeout, null, null, null);
    }

    public ProxySettings withConnectIp(ConnectIpSettings connectIp) {
        return new ProxySettings(listen, identity, tokens, allowedTargets, udpIdleTimeout, connectIp, listenTcp, clientTrust);
    }

    public ProxySettings withListenTcp(InetSocketAddress listenTcp) {
        return new ProxySettings(listen, identity, tokens, allowedTargets, udpIdleTimeout, connectIp, listenTcp, clientTrust);
    }

    public ProxySettings withClientTrust(ClientTrust clientTrust) {
        return new ProxySettings(listen, identity, tokens, allowedTargets, udpIdleTimeout, connectIp, listenTcp, clientTrust);
    }

    /** Whether the proxy makes its own self-signed certificate. */
    public boolean selfSigned() {
        return identity == null;
    }
}
