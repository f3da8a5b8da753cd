package net.braid.tunnel;

import java.time.Instant;
import java.util.List;

/**
 * A peer as `braid show` prints it; endpoint and lastHandshake are null until known. {@code paths}
 * is empty and {@code reorder} null for a single-path peer.
 */
public record PeerStatus(String publicKey, String endpoint, List<String> allowedIps,
                         Instant lastHandshake, long rxBytes, long txBytes, List<PathInfo> paths, ReorderInfo reorder) {
    public PeerStatus(String publicKey, String endpoint, List<String> allowedIps,
                      Instant lastHandshake, long rxBytes, long txBytes) {
        this(publicKey, endpoint, allowedIps, lastHandshake, rxBytes, txBytes, List.of(), null);
    }
}
