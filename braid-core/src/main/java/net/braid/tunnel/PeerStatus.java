package net.braid.tunnel;

import java.time.Instant;
import java.util.List;

/** A peer as `braid show` prints it; endpoint and lastHandshake are null until known. */
public record PeerStatus(String publicKey, String endpoint, List<String> allowedIps,
                         Instant lastHandshake, long rxBytes, long txBytes) {}
