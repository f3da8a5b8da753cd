package net.braid.cli.interpose;

import java.util.List;
import net.braid.config.Endpoint;
import net.braid.config.IpPrefix;
import net.braid.masque.h3.ServerTrust;

/**
 * A {@code braid interpose} file, checked.
 *
 * @param addresses the TUN's own addresses (the source the kernel picks for captured traffic)
 * @param routes    the destinations captured into the TUN
 */
record InterposeSettings(Endpoint proxy, String serverName, String token, ServerTrust trust, String tun, int mtu,
                         List<IpPrefix> addresses, List<IpPrefix> routes, long table,
                         MasqueUpstreamDialer.Transport transport, int maxTcpFlows, int maxUdpFlows, int udpIdleSeconds) {
    static final String DEFAULT_TUN = "braid-ip0";
    static final int DEFAULT_MTU = 1500;
    static final long DEFAULT_TABLE = 51931;
}
