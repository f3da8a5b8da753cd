package net.braid.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code [Path]} section: one link of a bonded tunnel to the {@code [Peer]} above it.
 * Either side may start a path: the side with an Endpoint connects, the side without accepts.
 * A host-name Endpoint is resolved again on every reconnect ({@link Endpoint#resolve()}).
 *
 * @param transport how messages travel; udp unless set
 * @param bind      the local address or interface the path's socket is bound to; absent lets
 *                  the routing table choose
 * @param endpoint  the remote side; absent when this side accepts the path: UDP on
 *                  Interface.ListenPort, TCP listening on the same port number
 * @param metric    0..255, lower preferred, as a route metric is; 0 unless set
 */
public record PathSection(Transport transport, Optional<Bind> bind, Optional<Endpoint> endpoint, int metric) {

    public static final int MAX_METRIC = 255;

    /** @throws IllegalArgumentException when the metric is out of 0..255 or Bind and Endpoint differ in family */
    public PathSection {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(endpoint, "endpoint");
        String rule = ValueRules.metric(metric);
        if (rule != null) {
            throw new IllegalArgumentException(
                    ConfigError.invalid("Path", PathReader.METRIC, PathReader.METRIC, rule, String.valueOf(metric)).message());
        }
        rule = familyRule(bind, endpoint);
        if (rule != null) {
            throw new IllegalArgumentException(
                    ConfigError.invalid("Path", PathReader.BIND, PathReader.BIND, rule, bind.orElseThrow().toString()).message());
        }
    }

    /** The UDP path a peer's own Endpoint stands for (absent: accept), unbound, metric 0. */
    public static PathSection udp(Optional<Endpoint> endpoint) {
        return new PathSection(Transport.UDP, Optional.empty(), endpoint, 0);
    }

    /** Whether this side waits for the other to start the path. */
    public boolean accepts() {
        return endpoint.isEmpty();
    }

    /** Whether both would use the same socket to the same place, so a receiver could not tell them apart. */
    public boolean sameRoute(PathSection other) {
        return transport == other.transport && bind.equals(other.bind) && endpoint.equals(other.endpoint);
    }

    /** A bound address must be of the Endpoint's family when the Endpoint is a literal; null when fine. */
    static String familyRule(Optional<Bind> bind, Optional<Endpoint> endpoint) {
        if (bind.isPresent() && bind.get() instanceof Bind.Address address && endpoint.isPresent()) {
            Optional<InetAddress> remote = endpoint.get().literal();
            if (remote.isPresent() && (remote.get() instanceof Inet6Address) != address.isIpv6()) {
                return (address.isIpv6() ? "IPv6" : "IPv4") + " address cannot reach the "
                        + (address.isIpv6() ? "IPv4" : "IPv6") + " Endpoint " + endpoint.get();
            }
        }
        return null;
    }
}
