package net.braid.cli.ipegress;

import java.util.ArrayList;
import java.util.List;
import net.braid.config.ConfigError;
import net.braid.config.IniEntry;
import net.braid.config.IniSection;
import net.braid.config.InvalidValueException;
import net.braid.config.IpPrefix;
import net.braid.masque.ip.ConnectIpConfig;

/**
 * Reads the {@code [ConnectIp]} section of a {@code braid proxy} file:
 *
 * <pre>
 * [ConnectIp]
 * Pool = 198.19.230.0/24, 2001:db8:230::/64   # required; at most one prefix per IP version
 * Tun = braid-ip0                             # the egress TUN
 * Mtu = 1500                                  # 1280..65535
 * Masquerade = on                             # NAT to the proxy's addresses
 * </pre>
 */
public final class ConnectIpSection {
    public static final String NAME = "ConnectIp";
    static final String POOL = "Pool";
    static final String TUN = "Tun";
    static final String MTU = "Mtu";
    static final String MASQUERADE = "Masquerade";

    private ConnectIpSection() {}

    /** The settings, or null when {@code errors} got something; {@code allowed} comes from [Proxy] AllowTarget. */
    public static ConnectIpSettings read(IniSection section, List<IpPrefix> allowed, List<ConfigError> errors) {
        int before = errors.size();
        SectionKeys keys = SectionKeys.check(section, NAME, List.of(TUN, MTU, MASQUERADE), List.of(POOL), errors);
        List<IpPrefix> pool = new ArrayList<>();
        for (IniEntry e : keys.all(POOL)) {
            for (String item : e.items()) {
                IpPrefix p;
                try {
                    p = IpPrefix.parse(item);
                } catch (InvalidValueException ex) {
                    errors.add(keys.invalid(e, POOL, ex.rule(), item));
                    continue;
                }
                int max = p.isIpv6() ? 126 : 30;
                if (p.prefixLength() > max) {
                    errors.add(keys.invalid(e, POOL, "a prefix of /" + max + " or shorter expected: the first address is"
                            + " the proxy's, and clients need the others", item));
                } else if (pool.stream().anyMatch(q -> q.isIpv6() == p.isIpv6())) {
                    errors.add(keys.invalid(e, POOL, "one prefix per IP version", item));
                } else {
                    pool.add(p.network());
                }
            }
        }
        if (keys.all(POOL).isEmpty()) {
            errors.add(keys.missing(POOL, "the prefixes client addresses come from, e.g. Pool = 198.19.230.0/24, 2001:db8:230::/64"));
        }
        String tun = keys.interfaceName(TUN, ConnectIpSettings.DEFAULT_TUN, errors);
        int mtu = (int) keys.number(MTU, ConnectIpConfig.MIN_MTU, 65_535, ConnectIpSettings.DEFAULT_MTU, errors);
        boolean masquerade = keys.flag(MASQUERADE, true, errors);
        if (errors.size() > before || pool.isEmpty()) return null;
        return new ConnectIpSettings(pool, tun, mtu, masquerade, allowed);
    }
}
