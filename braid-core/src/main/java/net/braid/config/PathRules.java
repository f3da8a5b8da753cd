package net.braid.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The rules between a peer's paths and the rest of the file, shared by the reader (which reports
 * them) and the model's constructors (which refuse to build). Paths are named by their place
 * among the peer's {@code [Path]} sections, from 1, behind the peer's label when there are
 * several peers: {@code Path[2]}, {@code Peer[3].Path[1]}.
 */
final class PathRules {

    private PathRules() {
    }

    /** "" when the config has one peer, else "Peer[n]." for the peer at {@code peerIndex} (0-based). */
    static String peerPrefix(int peerIndex, int peerCount) {
        return peerCount == 1 ? "" : TunnelConfig.peerLabel(peerIndex, peerCount) + ".";
    }

    static String label(String peerPrefix, int pathIndex) {
        return peerPrefix + "Path[" + (pathIndex + 1) + "]";
    }

    /**
     * No two paths, the peer's Endpoint among them, with the same Transport, Bind and Endpoint:
     * they would share one socket and one remote, and the receiver could not tell them apart.
     */
    static List<ConfigError> sameRoutes(String peerPrefix, Optional<Endpoint> peerEndpoint, List<PathSection> paths) {
        List<ConfigError> errors = new ArrayList<>();
        Optional<PathSection> implicit = peerEndpoint.map(e -> PathSection.udp(Optional.of(e)));
        for (int i = 0; i < paths.size(); i++) {
            String label = label(peerPrefix, i);
            String twin = null;
            for (int j = 0; j < i && twin == null; j++) {
                if (paths.get(j).sameRoute(paths.get(i))) {
                    twin = label(peerPrefix, j);
                }
            }
            if (twin == null && implicit.isPresent() && implicit.get().sameRoute(paths.get(i))) {
                twin = "the peer's Endpoint";
            }
            if (twin != null) {
                errors.add(new ConfigError(label, "", label + " invalid: same Transport, Bind and Endpoint as " + twin));
            }
        }
        return errors;
    }

    /**
     * A TCP path without Endpoint listens on the port number of the UDP ListenPort, so it needs
     * a fixed one: an ephemeral port is one the other side cannot know.
     */
    /** @param paths the peer's paths; a null stands for one that did not read and is skipped */
    static List<ConfigError> acceptingTcp(String peerPrefix, List<PathSection> paths, OptionalInt listenPort) {
        List<ConfigError> errors = new ArrayList<>();
        if (listenPort.orElse(0) != 0) {
            return errors;
        }
        for (int i = 0; i < paths.size(); i++) {
            PathSection path = paths.get(i);
            if (path != null && path.transport() == Transport.TCP && path.accepts()) {
                errors.add(ConfigError.invalid(label(peerPrefix, i), PathReader.TRANSPORT, PathReader.TRANSPORT,
                        "tcp without Endpoint accepts on Interface.ListenPort, which is not set", "tcp"));
            }
        }
        return errors;
    }
}
