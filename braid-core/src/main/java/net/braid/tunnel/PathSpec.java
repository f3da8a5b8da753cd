package net.braid.tunnel;

import net.braid.config.Bind;

/**
 * One configured UDP path to a peer. With an endpoint this side starts the path from its own
 * socket bound to {@code bind} (null: any address) on an ephemeral port; without one it accepts
 * paths on the listen port and learns them from the peer's authenticated packets.
 *
 * @param metric lower is preferred: a higher metric carries traffic only while no lower one is up
 */
public record PathSpec(Bind bind, String endpointHost, int endpointPort, int metric) {
    public boolean initiates() {
        return endpointHost != null;
    }
}
