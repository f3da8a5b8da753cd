package net.braid.tunnel;

import java.util.List;
import net.braid.config.IpPrefix;

/**
 * What the engine needs to know of a peer. {@code endpointHost} may be null (this side only
 * accepts; the endpoint is learnt from the peer's first authenticated packet); a name is
 * resolved when the tunnel starts and again when a handshake goes unanswered.
 */
public record PeerSpec(byte[] publicKey, String endpointHost, int endpointPort,
                       List<IpPrefix> allowedIps, int persistentKeepaliveSeconds) {
    public PeerSpec {
        publicKey = publicKey.clone();
        allowedIps = List.copyOf(allowedIps);
    }
}
