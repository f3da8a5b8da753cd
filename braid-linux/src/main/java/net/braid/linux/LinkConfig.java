package net.braid.linux;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * Addresses and routes of an interface, set with iproute2 in one network namespace (by name,
 * as {@code ip -n NS}) or in the namespace braid runs in. Removing what was added is closing
 * the TUN: a non-persistent TUN takes its addresses and routes with it.
 */
public final class LinkConfig {
    private final String netns;

    private LinkConfig(String netns) {
        this.netns = netns;
    }

    /** Configures interfaces of the network namespace this process runs in. */
    public static LinkConfig inCurrentNamespace() {
        return new LinkConfig(null);
    }

    /** Configures interfaces of the named namespace (/var/run/netns/NAME), as {@code ip -n NAME}. */
    public static LinkConfig inNamespace(String netns) {
        NetNamespace.validateName(netns);
        return new LinkConfig(netns);
    }

    /**
     * {@code ip addr add ADDRESS/PREFIX dev DEV}; IPv6 addresses get {@code nodad} so they are
     * usable at once rather than after duplicate address detection.
     */
    public void addAddress(String device, InetAddress address, int prefixLength) throws IOException {
        String cidr = cidr(address, prefixLength);
        if (address instanceof Inet6Address) {
            IpCommand.run(netns, "-6", "addr", "add", cidr, "dev", device, "nodad");
        } else {
            IpCommand.run(netns, "-4", "addr", "add", cidr, "dev", device);
        }
    }

    /** {@code ip route add DESTINATION/PREFIX dev DEV}: traffic to that prefix goes out DEV. */
    public void addRoute(InetAddress destination, int prefixLength, String device) throws IOException {
        IpCommand.run(netns, family(destination), "route", "add", cidr(destination, prefixLength),
                "dev", device);
    }

    /** {@code ip route add DESTINATION/PREFIX via GATEWAY dev DEV}. */
    public void addRoute(InetAddress destination, int prefixLength, InetAddress gateway, String device)
            throws IOException {
        if (gateway.getClass() != destination.getClass()) {
            throw new IllegalArgumentException("gateway " + gateway.getHostAddress()
                    + " is not of the family of " + destination.getHostAddress());
        }
        IpCommand.run(netns, family(destination), "route", "add", cidr(destination, prefixLength),
                "via", literal(gateway), "dev", device);
    }

    /** {@code ip link set DEV up}, e.g. for {@code lo} of a fresh namespace. */
    public void linkUp(String device) throws IOException {
        IpCommand.run(netns, "link", "set", "dev", device, "up");
    }

    /** The namespace name, or null for the current one. */
    public String netns() {
        return netns;
    }

    private static String family(InetAddress address) {
        return address instanceof Inet6Address ? "-6" : "-4";
    }

    private static String cidr(InetAddress address, int prefixLength) {
        Objects.requireNonNull(address, "address");
        int bits = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + bits
                    + " for " + address.getHostAddress());
        }
        return literal(address) + "/" + prefixLength;
    }

    private static String literal(InetAddress address) {
        if (address instanceof Inet6Address v6 && v6.getScopeId() != 0) {
            throw new IllegalArgumentException("scoped address " + address.getHostAddress() + " not supported");
        }
        String text = address.getHostAddress();
        int scope = text.indexOf('%');
        return scope < 0 ? text : text.substring(0, scope);
    }
}
