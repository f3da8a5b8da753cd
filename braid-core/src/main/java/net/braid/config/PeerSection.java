package net.braid.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One {@code [Peer]} section: a remote portal.
 *
 * <p>Extension point: the {@code [Path]} sections that will follow a {@code [Peer]} (Transport
 * udp|tcp, Bind, Endpoint, Metric) become a {@code List<PathSection> paths} component here, read
 * by their own reader next to {@link PeerReader}; until then {@code [Path]} is an unknown
 * section and reported as such.
 *
 * @param publicKey           the peer's X25519 public key
 * @param endpoint            where to reach it; absent when this side only accepts
 * @param allowedIps          inner source addresses accepted from it and routed to it
 * @param persistentKeepalive seconds, overriding the interface's; 0 is off
 */
public record PeerSection(X25519Key publicKey, Optional<Endpoint> endpoint, List<IpPrefix> allowedIps,
                          OptionalInt persistentKeepalive) {

    /** @throws IllegalArgumentException when the keepalive is out of 0..65535 */
    public PeerSection {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(endpoint, "endpoint");
        allowedIps = List.copyOf(allowedIps);
        Objects.requireNonNull(persistentKeepalive, "persistentKeepalive");
        if (persistentKeepalive.isPresent()) {
            String rule = ValueRules.keepalive(persistentKeepalive.getAsInt());
            if (rule != null) {
                throw new IllegalArgumentException(ConfigError.invalid("Peer", "PersistentKeepalive",
                        "PersistentKeepalive", rule, String.valueOf(persistentKeepalive.getAsInt())).message());
            }
        }
    }

    /** A peer without keepalive of its own. */
    public PeerSection(X25519Key publicKey, Optional<Endpoint> endpoint, List<IpPrefix> allowedIps) {
        this(publicKey, endpoint, allowedIps, OptionalInt.empty());
    }
}
