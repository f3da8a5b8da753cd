package net.braid.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The {@code [Interface]} section: this portal's identity and its TUN.
 *
 * @param privateKey          X25519 private key
 * @param addresses           the TUN's addresses with their prefixes; at least one
 * @param mtu                 576..65535, or 1280..65535 when an IPv6 address is present (RFC 8200)
 * @param listenPort          UDP port to listen on, absent for an ephemeral port
 * @param name                the TUN's name, at most 15 bytes of [A-Za-z0-9_.=+-]
 * @param persistentKeepalive seconds, the default for peers that set none; 0 or absent is off
 * @param host                routing, forwarding, NAT and hooks braid sets up around the TUN
 */
public record InterfaceSection(X25519Key privateKey, List<IpPrefix> addresses, int mtu, OptionalInt listenPort,
                               String name, OptionalInt persistentKeepalive, HostSetup host) {

    public static final int DEFAULT_MTU = ValueRules.DEFAULT_MTU;

    /** @throws IllegalArgumentException listing every broken rule, one per line */
    public InterfaceSection {
        Objects.requireNonNull(privateKey, "privateKey");
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(listenPort, "listenPort");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(persistentKeepalive, "persistentKeepalive");
        Objects.requireNonNull(host, "host");
        List<String> broken = new ArrayList<>();
        String section = "Interface";
        if (addresses.isEmpty()) {
            broken.add(ConfigError.missing(section, "Address").message());
        }
        check(broken, "MTU", ValueRules.mtu(mtu, addresses.stream().anyMatch(IpPrefix::isIpv6)), mtu);
        if (listenPort.isPresent()) {
            check(broken, "ListenPort", ValueRules.port(listenPort.getAsInt()), listenPort.getAsInt());
        }
        check(broken, "Name", ValueRules.interfaceName(name), name);
        if (persistentKeepalive.isPresent()) {
            check(broken, "PersistentKeepalive", ValueRules.keepalive(persistentKeepalive.getAsInt()),
                    persistentKeepalive.getAsInt());
        }
        if (!broken.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", broken));
        }
    }

    /** Without host setup beyond the TUN and its routes. */
    public InterfaceSection(X25519Key privateKey, List<IpPrefix> addresses, int mtu, OptionalInt listenPort,
                            String name, OptionalInt persistentKeepalive) {
        this(privateKey, addresses, mtu, listenPort, name, persistentKeepalive, HostSetup.NONE);
    }

    /** The usual case: default MTU, ephemeral port, no keepalive. */
    public InterfaceSection(X25519Key privateKey, List<IpPrefix> addresses, String name) {
        this(privateKey, addresses, DEFAULT_MTU, OptionalInt.empty(), name, OptionalInt.empty());
    }

    private static void check(List<String> broken, String key, String rule, Object given) {
        if (rule != null) {
            broken.add(ConfigError.invalid("Interface", key, key, rule, String.valueOf(given)).message());
        }
    }

    public boolean hasIpv6Address() {
        return addresses.stream().anyMatch(IpPrefix::isIpv6);
    }
}
