package net.braid.cli.interpose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.braid.cli.ipegress.ProxyCredentialKeys;
import net.braid.cli.ipegress.SectionKeys;
import net.braid.config.ConfigError;
import net.braid.config.ConfigException;
import net.braid.config.Endpoint;
import net.braid.config.IniDocument;
import net.braid.config.IniEntry;
import net.braid.config.IniParser;
import net.braid.config.IniSection;
import net.braid.config.InvalidValueException;
import net.braid.config.IpPrefix;
import net.braid.masque.h3.ServerTrust;

/**
 * Reads a {@code braid interpose} file, every problem at once:
 *
 * <pre>
 * [Interpose]
 * Proxy = proxy.example:443           # required: the MASQUE proxy, host:port
 * Token = s3cret                      # or TokenFile = PATH
 * PinnedKey = sha256/BASE64           # or CaFile = ca.pem
 * ServerName = proxy.example          # TLS name, default the Proxy host
 * Tun = braid-ip0
 * Mtu = 1500
 * Address = 198.18.200.1/24, 2001:db8:200::1/64   # the TUN's own addresses
 * Route = 0.0.0.0/0, ::/0             # what to capture (the proxy itself never is)
 * Table = 51931                       # routing table of braid's own for the captured routes
 * Transport = auto                    # h3, h2 or auto (h3, else h2)
 * MaxTcpFlows = 4096
 * MaxUdpFlows = 1024
 * UdpIdleTimeout = 60                 # seconds
 * </pre>
 */
final class InterposeFile {
    static final String SECTION = "Interpose";
    private static final List<String> SINGLE = List.of("Proxy", "ServerName", "Token", "TokenFile", "CaFile", "Tun", "Mtu",
            "Table", "Transport", "MaxTcpFlows", "MaxUdpFlows", "UdpIdleTimeout");
    private static final List<String> LISTS = List.of("PinnedKey", "Address", "Route");
    /** RFC 6750 §2.1 b64token. */

    private InterposeFile() {}

    static InterposeSettings read(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(new ConfigError("", "", "cannot read " + file + ": "
                    + (e instanceof NoSuchFileException ? "no such file" : e.getMessage())));
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, dir == null ? Path.of(".") : dir);
    }

    static InterposeSettings parse(String text, Path baseDir) throws ConfigException {
        IniDocument document = IniParser.parse(text);
        List<ConfigError> errors = new ArrayList<>();
        IniSection section = null;
        for (IniSection s : document.sections()) {
            if (!s.is(SECTION)) errors.add(new ConfigError(s.name(), "", "unknown section [" + s.name() + "] at line " + s.line() + "; expected [Interpose]"));
            else if (section != null) errors.add(new ConfigError(SECTION, "", "duplicate section [Interpose] at line " + s.line()));
            else section = s;
        }
        if (section == null) {
            errors.add(new ConfigError(SECTION, "", "Interpose missing: an interpose file needs an [Interpose] section with Proxy, Token, PinnedKey or CaFile, Address and Route"));
            throw new ConfigException(errors);
        }
        SectionKeys keys = SectionKeys.check(section, SECTION, SINGLE, LISTS, errors);
        Endpoint proxy = null;
        IniEntry proxyEntry = keys.single("Proxy");
        if (proxyEntry == null) {
            errors.add(keys.missing("Proxy", "the MASQUE proxy's host:port, e.g. 198.18.0.1:443"));
        } else {
            try {
                proxy = Endpoint.parse(proxyEntry.value());
            } catch (InvalidValueException e) {
                errors.add(keys.invalid(proxyEntry, "Proxy", e.rule(), e.given()));
            }
        }
        String serverName = proxy == null ? null : proxy.host();
        IniEntry nameEntry = keys.single("ServerName");
        if (nameEntry != null) serverName = nameEntry.value().strip();
        String token = ProxyCredentialKeys.token(keys, baseDir, errors);
        ServerTrust trust = ProxyCredentialKeys.trust(keys, baseDir, errors);
        String tun = keys.interfaceName("Tun", InterposeSettings.DEFAULT_TUN, errors);
        int mtu = (int) keys.number("Mtu", 1280, 65_535, InterposeSettings.DEFAULT_MTU, errors);
        long table = keys.number("Table", 1, 0xffff_fffeL, InterposeSettings.DEFAULT_TABLE, errors);
        IniEntry tableEntry = keys.single("Table");
        if (tableEntry != null && (table == 253 || table == 254 || table == 255)) {
            errors.add(keys.invalid(tableEntry, "Table", "a table of braid's own, not the kernel's default, main or local", tableEntry.value()));
        }
        List<IpPrefix> addresses = prefixes(keys, "Address", errors);
        List<IpPrefix> routes = prefixes(keys, "Route", errors);
        if (addresses.isEmpty() && keys.all("Address").isEmpty()) {
            errors.add(keys.missing("Address", "the TUN's own addresses, e.g. 198.18.200.1/24 (the source of captured traffic)"));
        }
        if (routes.isEmpty() && keys.all("Route").isEmpty()) {
            errors.add(keys.missing("Route", "the destinations to capture, e.g. 0.0.0.0/0, ::/0"));
        }
        for (IpPrefix r : routes) {
            if (addresses.stream().noneMatch(a -> a.isIpv6() == r.isIpv6())) {
                errors.add(new ConfigError(SECTION, "Route", "Route " + r + " needs an Address of the same IP version on the TUN"));
            }
        }
        var transport = MasqueUpstreamDialer.Transport.AUTO;
        IniEntry transportEntry = keys.single("Transport");
        if (transportEntry != null) {
            switch (transportEntry.value().strip().toLowerCase(Locale.ROOT)) {
                case "h3" -> transport = MasqueUpstreamDialer.Transport.H3;
                case "h2" -> transport = MasqueUpstreamDialer.Transport.H2;
                case "auto" -> transport = MasqueUpstreamDialer.Transport.AUTO;
                default -> errors.add(keys.invalid(transportEntry, "Transport", "h3, h2 or auto", transportEntry.value()));
            }
        }
        int maxTcp = (int) keys.number("MaxTcpFlows", 1, 1_000_000, 4096, errors);
        int maxUdp = (int) keys.number("MaxUdpFlows", 0, 1_000_000, 1024, errors);
        int udpIdle = (int) keys.number("UdpIdleTimeout", 1, 86_400, 60, errors);
        if (!errors.isEmpty()) throw new ConfigException(errors);
        return new InterposeSettings(proxy, serverName, token, trust, tun, mtu, addresses, routes, table, transport,
                maxTcp, maxUdp, udpIdle);
    }

    private static List<IpPrefix> prefixes(SectionKeys keys, String key, List<ConfigError> errors) {
        List<IpPrefix> list = new ArrayList<>();
        for (IniEntry e : keys.all(key)) {
            for (String item : e.items()) {
                try {
                    list.add(IpPrefix.parse(item));
                } catch (InvalidValueException ex) {
                    errors.add(keys.invalid(e, key, ex.rule(), item));
                }
            }
        }
        return list;
    }
}
