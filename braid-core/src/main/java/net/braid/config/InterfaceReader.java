package net.braid.config;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Reads {@code [Interface]} into an {@link InterfaceSection}, reporting every broken rule. */
final class InterfaceReader {

    static final String PRIVATE_KEY = "PrivateKey";
    static final String ADDRESS = "Address";
    static final String MTU = "MTU";
    static final String LISTEN_PORT = "ListenPort";
    static final String NAME = "Name";
    static final String PERSISTENT_KEEPALIVE = "PersistentKeepalive";
    static final String TABLE = "Table";
    static final String FW_MARK = "FwMark";
    static final String FORWARD = "Forward";
    static final String MASQUERADE = "Masquerade";
    static final String PRE_UP = "PreUp";
    static final String POST_UP = "PostUp";
    static final String PRE_DOWN = "PreDown";
    static final String POST_DOWN = "PostDown";
    static final String LEND_ADDRESS = "LendAddress";
    static final String KEEP_LOCAL = "KeepLocal";

    /**
     * What was read: the private key and ListenPort alone when the rest failed, so peer and path
     * checks can still use them; {@code listenPortKnown} is false when ListenPort was invalid.
     */
    record Result(Optional<X25519Key> privateKey, boolean listenPortKnown, OptionalInt listenPort,
                  Optional<InterfaceSection> section) {
    }

    private InterfaceReader() {
    }

    /** @param defaultName the TUN name when none is set (the file's name), or null */
    static Result read(IniSection ini, String defaultName, List<ConfigError> errors) {
        var reader = new SectionReader(ini, "Interface",
                List.of(PRIVATE_KEY, MTU, LISTEN_PORT, NAME, PERSISTENT_KEEPALIVE, TABLE, FW_MARK, FORWARD, MASQUERADE),
                List.of(ADDRESS, PRE_UP, POST_UP, PRE_DOWN, POST_DOWN, LEND_ADDRESS, KEEP_LOCAL), errors);

        Optional<X25519Key> privateKey = reader.value(PRIVATE_KEY, X25519Key::fromBase64);
        if (reader.single(PRIVATE_KEY).isEmpty()) {
            reader.missing(PRIVATE_KEY);
        }

        List<IpPrefix> addresses = reader.list(ADDRESS, IpPrefix::parse);
        if (reader.single(ADDRESS).isEmpty()) {
            reader.missing(ADDRESS);
        }
        boolean ipv6 = addresses.stream().anyMatch(IpPrefix::isIpv6);

        OptionalLong mtu = reader.number(MTU, value -> ValueRules.mtu(value, ipv6));
        OptionalLong listenPort = reader.number(LISTEN_PORT, ValueRules::port);
        OptionalLong keepalive = readKeepalive(reader);

        Optional<String> name = reader.single(NAME).map(IniEntry::value);
        if (name.isPresent()) {
            String rule = ValueRules.interfaceName(name.get());
            if (rule != null) {
                reader.invalid(reader.single(NAME).orElseThrow(), rule, SectionReader.given(name.get()));
            }
        } else if (defaultName == null) {
            reader.missing(NAME);
        } else {
            String rule = ValueRules.interfaceName(defaultName);
            if (rule != null) {
                reader.invalid(NAME, rule, defaultName + " (the file's name; set Name to choose another)");
            }
            name = Optional.of(defaultName);
        }

        HostSetup host = HostSetupReader.read(reader);

        boolean listenPortKnown = listenPort.isPresent() || reader.single(LISTEN_PORT).isEmpty();
        if (reader.failed()) {
            return new Result(privateKey, listenPortKnown, toInt(listenPort), Optional.empty());
        }
        return new Result(privateKey, true, toInt(listenPort), Optional.of(new InterfaceSection(privateKey.orElseThrow(), addresses,
                (int) mtu.orElse(ValueRules.DEFAULT_MTU), toInt(listenPort), name.orElseThrow(), toInt(keepalive), host)));
    }

    /** PersistentKeepalive, where wg's "off" means 0; shared with the peer reader. */
    static OptionalLong readKeepalive(SectionReader reader) {
        if (reader.single(PERSISTENT_KEEPALIVE).filter(e -> e.value().equalsIgnoreCase("off")).isPresent()) {
            return OptionalLong.of(0);
        }
        return reader.number(PERSISTENT_KEEPALIVE, ValueRules::keepalive);
    }

    static OptionalInt toInt(OptionalLong value) {
        return value.isPresent() ? OptionalInt.of((int) value.getAsLong()) : OptionalInt.empty();
    }
}
