package net.braid.masque.udp;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import java.util.Optional;
import net.braid.config.IpPrefix;

/**
 * Which target addresses the proxy may reach. By default none in its own networks: loopback,
 * link-local, private and unique-local ranges, multicast, unspecified and reserved addresses, and
 * any address assigned to one of the proxy's interfaces (else a client could reach services bound
 * only there). Prefixes on the allow list are permitted even inside those ranges.
 */
public final class TargetPolicy {
    /** The ranges refused unless allow-listed (RFC 6890 special-purpose registries, abridged). */
    public static final List<IpPrefix> DENIED = List.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.168.0.0/16", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8")
            .stream().map(IpPrefix::parse).toList();

    private final List<IpPrefix> allowed;
    private final boolean denyOwnAddresses;

    private TargetPolicy(List<IpPrefix> allowed, boolean denyOwnAddresses) {
        this.allowed = List.copyOf(allowed);
        this.denyOwnAddresses = denyOwnAddresses;
    }

    /** The default policy with no exceptions. */
    public static TargetPolicy defaults() {
        return new TargetPolicy(List.of(), true);
    }

    /** The default policy, except for addresses in these prefixes (e.g. {@code 127.0.0.1/32} in tests). */
    public static TargetPolicy allowing(List<IpPrefix> allowed) {
        return new TargetPolicy(allowed, true);
    }

    public List<IpPrefix> allowed() {
        return allowed;
    }

    /**
     * Why {@code address} is refused, or empty when it is permitted. May ask the kernel for the
     * interface addresses, so call it off the event loop.
     */
    public Optional<String> refusal(InetAddress address) {
        for (IpPrefix p : allowed) {
            if (p.contains(address)) return Optional.empty();
        }
        for (IpPrefix p : DENIED) {
            if (p.contains(address)) return Optional.of(address.getHostAddress() + " is in " + p);
        }
        if (denyOwnAddresses) {
            try {
                if (NetworkInterface.getByInetAddress(address) != null) {
                    return Optional.of(address.getHostAddress() + " is an address of the proxy itself");
                }
            } catch (SocketException e) {
                return Optional.of("cannot tell whether " + address.getHostAddress() + " is the proxy's own: " + e.getMessage());
            }
        }
        return Optional.empty();
    }
}
