package net.braid.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads one {@code [Peer]} into a {@link PeerSection}, reporting every broken rule. */
final class PeerReader {

    static final String PUBLIC_KEY = "PublicKey";
    static final String ENDPOINT = "Endpoint";
    static final String ALLOWED_IPS = "AllowedIPs";

    /**
     * What was read, with the parts the cross-peer checks need even when the section failed:
     * {@code paths} are the [Path] sections that read cleanly, at their own index or null.
     */
    record Result(ConfigValidator.PeerFacts facts, List<PathSection> paths, Optional<PeerSection> section) {
    }

    private PeerReader() {
    }

    /**
     * @param pathInis   the [Path] sections that follow this [Peer], in file order
     * @param peerPrefix how path labels start: "" with one peer, else "Peer[n]."
     */
    static Result read(IniSection ini, String label, List<IniSection> pathInis, String peerPrefix,
                       List<ConfigError> errors) {
        var reader = new SectionReader(ini, label,
                List.of(PUBLIC_KEY, ENDPOINT, InterfaceReader.PERSISTENT_KEEPALIVE), List.of(ALLOWED_IPS), errors);

        Optional<X25519Key> publicKey = reader.value(PUBLIC_KEY, X25519Key::fromBase64);
        if (reader.single(PUBLIC_KEY).isEmpty()) {
            reader.missing(PUBLIC_KEY);
        }
        Optional<Endpoint> endpoint = reader.value(ENDPOINT, Endpoint::parse);
        List<IpPrefix> allowedIps = reader.list(ALLOWED_IPS, IpPrefix::parse);
        OptionalLong keepalive = InterfaceReader.readKeepalive(reader);

        boolean peerFailed = reader.failed();

        int errorsBeforePaths = errors.size();
        List<PathSection> paths = new ArrayList<>();
        for (int i = 0; i < pathInis.size(); i++) {
            paths.add(PathReader.read(pathInis.get(i), PathRules.label(peerPrefix, i), errors).orElse(null));
        }
        boolean pathsFailed = errors.size() > errorsBeforePaths;
        if (!peerFailed && !pathsFailed) {
            errors.addAll(PathRules.sameRoutes(peerPrefix, endpoint, paths));
            pathsFailed = errors.size() > errorsBeforePaths;
        }

        var facts = new ConfigValidator.PeerFacts(label, publicKey.orElse(null), allowedIps);
        if (peerFailed || pathsFailed) {
            return new Result(facts, paths, Optional.empty());
        }
        return new Result(facts, paths, Optional.of(new PeerSection(publicKey.orElseThrow(), endpoint, allowedIps,
                InterfaceReader.toInt(keepalive), paths)));
    }
}
