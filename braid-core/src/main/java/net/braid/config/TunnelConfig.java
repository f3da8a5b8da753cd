package net.braid.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A whole, valid tunnel configuration: this portal's {@code [Interface]} and its peers in file
 * order. Construction checks the rules between sections (distinct peer keys, no peer with our
 * own key, no AllowedIPs shared by two peers, a ListenPort for every TCP path that accepts), so
 * a TunnelConfig in hand is always usable.
 */
public record TunnelConfig(InterfaceSection iface, List<PeerSection> peers) {

    /** @throws IllegalArgumentException listing every broken rule, one per line */
    public TunnelConfig {
        Objects.requireNonNull(iface, "iface");
        peers = List.copyOf(peers);
        List<ConfigValidator.PeerFacts> facts = new ArrayList<>();
        for (int i = 0; i < peers.size(); i++) {
            PeerSection p = peers.get(i);
            facts.add(new ConfigValidator.PeerFacts(peerLabel(i, peers.size()), p.publicKey(), p.allowedIps()));
        }
        List<ConfigError> errors = new ArrayList<>(ConfigValidator.crossCheck(iface.privateKey(), facts));
        for (int i = 0; i < peers.size(); i++) {
            errors.addAll(PathRules.acceptingTcp(PathRules.peerPrefix(i, peers.size()), peers.get(i).declaredPaths(),
                    iface.listenPort()));
        }
        errors.addAll(lendingRules(iface, peers));
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(new ConfigException(errors).getMessage());
        }
    }

    /**
     * A lent address must reach the client through some peer, and braid's own port must be
     * known to keep it on this host.
     */
    static List<ConfigError> lendingRules(InterfaceSection iface, List<PeerSection> peers) {
        List<ConfigError> errors = new ArrayList<>();
        for (IpPrefix lent : iface.host().lend()) {
            boolean carried = peers.stream().flatMap(p -> p.allowedIps().stream())
                    .anyMatch(a -> a.isIpv6() == lent.isIpv6() && a.contains(lent.address()));
            if (!carried) {
                errors.add(ConfigError.invalid("Interface", "LendAddress", "LendAddress",
                        "within some peer's AllowedIPs (the tunnel carries it to the client)", lent.toString()));
            }
        }
        if (!iface.host().lend().isEmpty() && iface.listenPort().isEmpty()) {
            errors.add(ConfigError.invalid("Interface", "LendAddress", "LendAddress",
                    "needs a ListenPort, which stays with this host", iface.host().lend().getFirst().toString()));
        }
        return errors;
    }

    /** The keepalive interval for {@code peer} in seconds, its own or else the interface's; 0 is off. */
    public int keepaliveSeconds(PeerSection peer) {
        return peer.persistentKeepalive().orElse(iface.persistentKeepalive().orElse(0));
    }

    /** How messages name the peer at {@code index} (0-based): "Peer" alone, else "Peer[1]", "Peer[2]", ... */
    public static String peerLabel(int index, int peerCount) {
        return peerCount == 1 ? "Peer" : "Peer[" + (index + 1) + "]";
    }
}
