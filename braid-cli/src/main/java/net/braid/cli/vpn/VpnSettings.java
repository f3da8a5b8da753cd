package net.braid.cli.vpn;

import java.util.Objects;
import net.braid.config.Endpoint;
import net.braid.masque.codec.ConnectIpScope;
import net.braid.masque.h3.Certificates;
import net.braid.masque.h3.ServerTrust;

/**
 * The {@code [Vpn]} section of a {@code braid vpn} file, checked.
 *
 * @param proxy      the proxy's HTTP/3 address; a name is resolved at every (re)connect
 * @param serverName the TLS server name and :authority host (the proxy's host unless given)
 * @param token      the bearer token
 * @param trust      how the proxy's certificate is trusted: pinned keys or CA certificates
 * @param scope      the CONNECT-IP target and IP protocol asked for (RFC 9484 §4.6)
 * @param tun        the TUN's name
 * @param mtu        the TUN's MTU
 * @param table      the routing table that holds the advertised routes (braid's alone: flushed on exit)
 * @param transport  HTTP/3, HTTP/2 (TLS over TCP, to the same host and port), or HTTP/3 falling back to HTTP/2
 * @param clientIdentity the TLS client certificate and key offered to a proxy that asks for one, or null
 */
public record VpnSettings(Endpoint proxy, String serverName, String token, ServerTrust trust, ConnectIpScope scope,
                          String tun, int mtu, long table, Transport transport, Certificates.Identity clientIdentity) {

    /** How to reach the proxy. */
    public enum Transport {
        /** QUIC only. */
        H3,
        /** TLS over TCP only (RFC 8441 extended CONNECT), for networks that block UDP. */
        H2,
        /** QUIC first; when its handshake fails, TLS over TCP to the same host and port. */
        AUTO
    }

    public VpnSettings(Endpoint proxy, String serverName, String token, ServerTrust trust, ConnectIpScope scope,
                       String tun, int mtu, long table) {
        this(proxy, serverName, token, trust, scope, tun, mtu, table, Transport.AUTO, null);
    }

    public VpnSettings(Endpoint proxy, String serverName, String token, ServerTrust trust, ConnectIpScope scope,
                       String tun, int mtu, long table, Transport transport) {
        this(proxy, serverName, token, trust, scope, tun, mtu, table, transport, null);
    }
    public static final String DEFAULT_TUN = "braid-vpn0";
    /** RFC 9484 §10.1's minimum, which fits a QUIC DATAGRAM on a 1500-byte path. */
    public static final int DEFAULT_MTU = 1280;
    public static final long DEFAULT_TABLE = 51_930;

    public VpnSettings {
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(tun, "tun");
        Objects.requireNonNull(transport, "transport");
    }

    /** The :authority of requests: host[:port] (RFC 9110 §7.2). */
    public String authority() {
        String host = serverName.indexOf(':') >= 0 ? "[" + serverName + "]" : serverName;
        return host + ":" + proxy.port();
    }
}
