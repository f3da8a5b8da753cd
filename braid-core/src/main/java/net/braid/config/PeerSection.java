package net.braid.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One {@code [Peer]} section, a remote portal, with the {@code [Path]} sections that follow it.
 *
 * <p>{@link #paths()} is what the tunnel opens. A peer's own Endpoint keeps working as in
 * WireGuard: with no {@code [Path]} it is the one UDP path (absent: this side accepts on
 * ListenPort), and beside {@code [Path]} sections it is one more UDP path, unbound, metric 0,
 * listed after them. A {@code [Path]} that repeats it is refused rather than silently merged.
 *
 * @param publicKey           the peer's X25519 public key
 * @param endpoint            where to reach it over UDP; absent when this side only accepts
 * @param allowedIps          inner source addresses accepted from it and routed to it
 * @param persistentKeepalive seconds, overriding the interface's; 0 is off
 * @param declaredPaths       its {@code [Path]} sections in file order; Path[n] in messages is index n-1
 */
public record PeerSection(X25519Key publicKey, Optional<Endpoint> endpoint, List<IpPrefix> allowedIps,
                          OptionalInt persistentKeepalive, List<PathSection> declaredPaths) {

    /** @throws IllegalArgumentException when the keepalive is out of 0..65535 or two paths are the same */
    public PeerSection {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(endpoint, "endpoint");
        allowedIps = List.copyOf(allowedIps);
        Objects.requireNonNull(persistentKeepalive, "persistentKeepalive");
        declaredPaths = List.copyOf(declaredPaths);
        List<String> broken = new ArrayList<>();
        if (persistentKeepalive.isPresent()) {
            String rule = ValueRules.keepalive(persistentKeepalive.getAsInt());
            if (rule != null) {
                broken.add(ConfigError.invalid("Peer", "PersistentKeepalive",
                        "PersistentKeepalive", rule, String.valueOf(persistentKeepalive.getAsInt())).message());
            }
        }
        PathRules.sameRoutes("", endpoint, declaredPaths).forEach(e -> broken.add(e.message()));
        if (!broken.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", broken));
        }
    }

    /** A peer without [Path] sections: its Endpoint is its one UDP path. */
    public PeerSection(X25519Key publicKey, Optional<Endpoint> endpoint, List<IpPrefix> allowedIps,
                       OptionalInt persistentKeepalive) {
        this(publicKey, endpoint, allowedIps, persistentKeepalive, List.of());
    }

    /** A peer without keepalive or [Path] sections of its own. */
    public PeerSection(X25519Key publicKey, Optional<Endpoint> endpoint, List<IpPrefix> allowedIps) {
        this(publicKey, endpoint, allowedIps, OptionalInt.empty());
    }

    /**
     * Every path to this peer: the declared ones in file order, then the Endpoint's UDP path
     * if one is set; with nothing declared, the Endpoint's path alone (an accepting one without
     * Endpoint). Never empty.
     */
    public List<PathSection> paths() {
        if (declaredPaths.isEmpty()) {
            return List.of(PathSection.udp(endpoint));
        }
        if (endpoint.isEmpty()) {
            return declaredPaths;
        }
        List<PathSection> all = new ArrayList<>(declaredPaths);
        all.add(PathSection.udp(endpoint));
        return List.copyOf(all);
    }
}
