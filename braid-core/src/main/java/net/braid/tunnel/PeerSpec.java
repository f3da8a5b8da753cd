package net.braid.tunnel;

import java.util.List;
import net.braid.config.IpPrefix;

/**
 * What the engine needs to know of a peer. {@code endpointHost} may be null (this side only
 * accepts; the endpoint is learnt from the peer's first authenticated packet); a name is
 * resolved when the tunnel starts and again when a handshake goes unanswered.
 *
 * <p>{@code paths} empty or one path without a Bind: the single-path tunnel of docs/protocol.md
 * (path id 0 on the listen port's socket). Otherwise each path with an endpoint gets its own
 * socket and path id and the peer runs multipath (docs/multipath.md §3).
 */
public record PeerSpec(byte[] publicKey, String endpointHost, int endpointPort,
                       List<IpPrefix> allowedIps, int persistentKeepaliveSeconds, List<PathSpec> paths) {
    public PeerSpec {
        publicKey = publicKey.clone();
        allowedIps = List.copyOf(allowedIps);
        paths = List.copyOf(paths);
    }

    public PeerSpec(byte[] publicKey, String endpointHost, int endpointPort,
                    List<IpPrefix> allowedIps, int persistentKeepaliveSeconds) {
        this(publicKey, endpointHost, endpointPort, allowedIps, persistentKeepaliveSeconds, List.of());
    }

    /** Whether this peer is configured for several paths (or a bound one). */
    public boolean multipath() {
        return paths.size() > 1 || paths.stream().anyMatch(p -> p.bind() != null);
    }
}
