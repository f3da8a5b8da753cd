package net.braid.cli.ipegress;

import java.util.List;
import java.util.Objects;
import net.braid.config.IpPrefix;

/**
 * The {@code [ConnectIp]} section of a {@code braid proxy} file, checked: CONNECT-IP (RFC 9484)
 * egress through a TUN.
 *
 * @param pool       prefixes client addresses come from, at most one per IP version; the first
 *                   address of each is the proxy's own on the TUN
 * @param tun        the TUN's name
 * @param mtu        the TUN's MTU, which is also the egress MTU clients are held to (at least 1280)
 * @param masquerade NAT of client traffic to the proxy's own addresses (nftables), else clients'
 *                   pool addresses leave as they are and must be routed back to the proxy
 * @param allowed    prefixes reachable even inside the ranges refused by default ([Proxy] AllowTarget)
 */
public record ConnectIpSettings(List<IpPrefix> pool, String tun, int mtu, boolean masquerade, List<IpPrefix> allowed) {
    public static final String DEFAULT_TUN = "braid-ip0";
    public static final int DEFAULT_MTU = 1500;

    public ConnectIpSettings {
        pool = List.copyOf(pool);
        Objects.requireNonNull(tun, "tun");
        allowed = List.copyOf(allowed);
        if (pool.isEmpty()) throw new IllegalArgumentException("no pool");
    }

    public ConnectIpSettings withAllowed(List<IpPrefix> allowed) {
        return new ConnectIpSettings(pool, tun, mtu, masquerade, allowed);
    }
}
