package net.braid.masque.udp;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import net.braid.masque.codec.UriTemplate;
import net.braid.masque.h3.H3Options;
import net.braid.masque.h3.ServerTrust;

/**
 * Where and how a {@link MasqueClient} reaches its proxy.
 *
 * @param address      the proxy's UDP address for HTTP/3, its TCP address for {@link MasqueClient#connectHttp2}
 * @param serverName   SNI, checked against the certificate under CA trust, and the :authority host
 * @param trust        how the proxy's certificate is judged
 * @param bearerToken  sent with every request (RFC 6750 §2.1), or null
 * @param udpTemplate  the proxy's CONNECT-UDP URI template (RFC 9298 §2); its path and query are sent
 * @param options      QUIC knobs; {@link H3Options#withoutQuicDatagrams()} forces the capsule fallback (unused over HTTP/2)
 * @param timeout      for the handshake and for each request's response
 */
public record ProxyEndpoint(InetSocketAddress address, String serverName, ServerTrust trust, String bearerToken,
                            UriTemplate udpTemplate, H3Options options, Duration timeout) {

    public ProxyEndpoint {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(udpTemplate, "udpTemplate");
        Objects.requireNonNull(options, "options");
        if (timeout.isZero() || timeout.isNegative()) throw new IllegalArgumentException("timeout must be positive");
    }

    /** The default template and options, 10 s to connect or get an answer. */
    public static ProxyEndpoint of(InetSocketAddress address, String serverName, ServerTrust trust, String bearerToken) {
        return new ProxyEndpoint(address, serverName, trust, bearerToken,
                UriTemplate.parse(UriTemplate.CONNECT_UDP_DEFAULT_PATH), H3Options.defaults(), Duration.ofSeconds(10));
    }

    public ProxyEndpoint withOptions(H3Options options) {
        return new ProxyEndpoint(address, serverName, trust, bearerToken, udpTemplate, options, timeout);
    }

    public ProxyEndpoint withBearerToken(String token) {
        return new ProxyEndpoint(address, serverName, trust, token, udpTemplate, options, timeout);
    }

    /** The :authority of requests to the proxy itself. */
    String authority() {
        return ConnectAuthority.format(serverName, address.getPort());
    }
}
