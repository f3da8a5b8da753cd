package net.braid.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns an {@link IniDocument} into a {@link TunnelConfig}, checking every rule before anything
 * starts and reporting all broken rules at once rather than the first.
 *
 * <p>Sections are dispatched by name below; a new section is one more case and one more reader.
 * {@code [Path]} sections belong to the {@code [Peer]} right above them (directly or after other
 * {@code [Path]}s) and are read with it; one anywhere else is an error naming its line. Anything
 * not listed is an error that names it, so a typo never silently does nothing.
 */
public final class ConfigValidator {

    static final String INTERFACE = "Interface";
    static final String PEER = "Peer";
    static final String PATH = "Path";

    /** What the cross-peer rules look at; {@code publicKey} is null when it did not parse. */
    record PeerFacts(String label, X25519Key publicKey, List<IpPrefix> allowedIps) {
    }

    private ConfigValidator() {
    }

    /**
     * @param defaultName the TUN name when [Interface] sets none (by convention the file's name
     *                    without {@code .conf}), or null to require Name
     * @throws ConfigException listing every broken rule
     */
    public static TunnelConfig validate(IniDocument document, String defaultName) throws ConfigException {
        List<ConfigError> errors = new ArrayList<>();
        Optional<TunnelConfig> config = validate(document, defaultName, errors);
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return config.orElseThrow();
    }

    /** Adds every broken rule to {@code errors}; the config is present only when none was added. */
    static Optional<TunnelConfig> validate(IniDocument document, String defaultName, List<ConfigError> errors) {
        int errorsBefore = errors.size();
        int peerCount = document.all(PEER).size();
        InterfaceReader.Result iface = null;
        IniSection firstInterface = null;
        List<PeerReader.Result> peers = new ArrayList<>();
        List<IniSection> sections = document.sections();
        for (int i = 0; i < sections.size(); i++) {
            IniSection section = sections.get(i);
            switch (section.name().toLowerCase(Locale.ROOT)) {
                case "interface" -> {
                    if (firstInterface != null) {
                        errors.add(ConfigError.duplicateSection(INTERFACE, section.name(), section.line(),
                                firstInterface.line()));
                    } else {
                        firstInterface = section;
                        iface = InterfaceReader.read(section, defaultName, errors);
                    }
                }
                case "peer" -> {
                    int end = i + 1;
                    while (end < sections.size() && sections.get(end).is(PATH)) {
                        end++;
                    }
                    peers.add(PeerReader.read(section, TunnelConfig.peerLabel(peers.size(), peerCount),
                            sections.subList(i + 1, end), PathRules.peerPrefix(peers.size(), peerCount), errors));
                    i = end - 1;
                }
                case "path" -> errors.add(ConfigError.pathWithoutPeer(section.name(), section.line()));
                default -> errors.add(ConfigError.unknownSection(section.name(), section.line()));
            }
        }
        if (iface == null) {
            errors.add(ConfigError.missing(INTERFACE, ""));
        }
        errors.addAll(crossCheck(iface == null ? null : iface.privateKey().orElse(null),
                peers.stream().map(PeerReader.Result::facts).toList()));
        if (iface != null && iface.listenPortKnown()) {
            for (int i = 0; i < peers.size(); i++) {
                errors.addAll(PathRules.acceptingTcp(PathRules.peerPrefix(i, peerCount), peers.get(i).paths(),
                        iface.listenPort()));
            }
        }
        if (errors.size() == errorsBefore) {
            errors.addAll(TunnelConfig.lendingRules(iface.section().orElseThrow(),
                    peers.stream().map(p -> p.section().orElseThrow()).toList()));
        }
        if (errors.size() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new TunnelConfig(iface.section().orElseThrow(),
                peers.stream().map(p -> p.section().orElseThrow()).toList()));
    }

    /**
     * The rules between peers: each peer's key is its own and not ours, and no two peers claim
     * the same inner address (a packet to it would have two places to go).
     *
     * @param ownPrivateKey null when it did not parse, which skips the own-key rule
     */
    static List<ConfigError> crossCheck(X25519Key ownPrivateKey, List<PeerFacts> peers) {
        List<ConfigError> errors = new ArrayList<>();
        X25519Key ownPublic = ownPrivateKey == null ? null : ownPrivateKey.derivePublic();
        Map<X25519Key, String> firstWithKey = new HashMap<>();
        for (PeerFacts peer : peers) {
            if (peer.publicKey() == null) {
                continue;
            }
            String given = peer.publicKey().toBase64();
            if (peer.publicKey().equals(ownPublic)) {
                errors.add(ConfigError.invalid(peer.label(), PeerReader.PUBLIC_KEY, PeerReader.PUBLIC_KEY,
                        "our own public key, not a peer's", given));
            }
            String earlier = firstWithKey.putIfAbsent(peer.publicKey(), peer.label());
            if (earlier != null) {
                errors.add(ConfigError.invalid(peer.label(), PeerReader.PUBLIC_KEY, PeerReader.PUBLIC_KEY,
                        "same key as " + earlier, given));
            }
        }
        for (int i = 0; i < peers.size(); i++) {
            String label = peers.get(i).label();
            for (IpPrefix prefix : peers.get(i).allowedIps()) {
                overlap(peers, i, prefix).ifPresent(rule -> errors.add(ConfigError.invalid(
                        label, PeerReader.ALLOWED_IPS, PeerReader.ALLOWED_IPS, rule, prefix.toString())));
            }
        }
        return errors;
    }

    /** The first earlier peer's prefix that overlaps {@code prefix}, as a rule text. */
    private static Optional<String> overlap(List<PeerFacts> peers, int index, IpPrefix prefix) {
        for (int j = 0; j < index; j++) {
            for (IpPrefix other : peers.get(j).allowedIps()) {
                if (other.overlaps(prefix)) {
                    return Optional.of("overlaps " + other + " of " + peers.get(j).label());
                }
            }
        }
        return Optional.empty();
    }
}
