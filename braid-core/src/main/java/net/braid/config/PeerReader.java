package net.braid.config;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads one {@code [Peer]} into a {@link PeerSection}, reporting every broken rule. */
final class PeerReader {

    static final String PUBLIC_KEY = "PublicKey";
    static final String ENDPOINT = "Endpoint";
    static final String ALLOWED_IPS = "AllowedIPs";

    /** What was read, with the parts the cross-peer checks need even when the section failed. */
    record Result(ConfigValidator.PeerFacts facts, Optional<PeerSection> section) {
    }

    private PeerReader() {
    }

    static Result read(IniSection ini, String label, List<ConfigError> errors) {
        var reader = new SectionReader(ini, label,
                List.of(PUBLIC_KEY, ENDPOINT, InterfaceReader.PERSISTENT_KEEPALIVE), List.of(ALLOWED_IPS), errors);

        Optional<X25519Key> publicKey = reader.value(PUBLIC_KEY, X25519Key::fromBase64);
        if (reader.single(PUBLIC_KEY).isEmpty()) {
            reader.missing(PUBLIC_KEY);
        }
        Optional<Endpoint> endpoint = reader.value(ENDPOINT, Endpoint::parse);
        List<IpPrefix> allowedIps = reader.list(ALLOWED_IPS, IpPrefix::parse);
        OptionalLong keepalive = InterfaceReader.readKeepalive(reader);

        var facts = new ConfigValidator.PeerFacts(label, publicKey.orElse(null), allowedIps);
        if (reader.failed()) {
            return new Result(facts, Optional.empty());
        }
        return new Result(facts, Optional.of(new PeerSection(publicKey.orElseThrow(), endpoint, allowedIps,
                InterfaceReader.toInt(keepalive))));
    }
}
