package net.braid.cli.vpn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import net.braid.masque.codec.ConnectIpScope;
import net.braid.masque.codec.InvalidTargetException;
import net.braid.masque.h3.Certificates;
import net.braid.masque.h3.ServerTrust;

/**
 * Reads a {@code braid vpn} file, every problem at once, each naming section, key, rule and value:
 *
 * <pre>
 * [Vpn]
 * Proxy = proxy.example:443          # required, host:port (UDP, HTTP/3)
 * Token = s3cret                     # or TokenFile = PATH (first line)
 * PinnedKey = sha256/BASE64          # repeatable; or CaFile = ca.pem
 * ServerName = proxy.example         # TLS name, default the Proxy host
 * Target = *                         # CONNECT-IP scope: *, an IP prefix or a host name
 * IpProto = *                        # *, or 1..255
 * Tun = braid-vpn0
 * Mtu = 1280
 * Table = 51930
 * Transport = auto                   # h3, h2 (TLS/TCP to the same host:port) or auto: h3, else h2
 * ClientCertificate = client.crt     # optional, with ClientKey: offered when the proxy asks (mutual TLS)
 * ClientKey = client.key
 * </pre>
 */
public final class VpnFile {
    static final String VPN = "Vpn";
    static final String PROXY = "Proxy";
    static final String SERVER_NAME = "ServerName";
    static final String TOKEN = "Token";
    static final String TOKEN_FILE = "TokenFile";
    static final String PINNED_KEY = "PinnedKey";
    static final String CA_FILE = "CaFile";
    static final String TARGET = "Target";
    static final String IP_PROTO = "IpProto";
    static final String TUN = "Tun";
    static final String MTU = "Mtu";
    static final String TABLE = "Table";
    static final String TRANSPORT = "Transport";
    static final String CLIENT_CERTIFICATE = "ClientCertificate";
    static final String CLIENT_KEY = "ClientKey";
    private static final List<String> SINGLE = List.of(PROXY, SERVER_NAME, TOKEN, TOKEN_FILE, CA_FILE, TARGET, IP_PROTO,
            TUN, MTU, TABLE, TRANSPORT, CLIENT_CERTIFICATE, CLIENT_KEY);
    private static final List<String> LISTS = List.of(PINNED_KEY);
    /** RFC 6750 §2.1 b64token. */

    private VpnFile() {}

    public static VpnSettings read(Path file) throws ConfigException {
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

    public static VpnSettings parse(String text, Path baseDir) throws ConfigException {
        IniDocument document = IniParser.parse(text);
        List<ConfigError> errors = new ArrayList<>();
        IniSection vpn = null;
        for (IniSection s : document.sections()) {
            if (!s.is(VPN)) {
                errors.add(new ConfigError(s.name(), "", "unknown section [" + s.name() + "] at line " + s.line() + "; expected [Vpn]"));
            } else if (vpn != null) {
                errors.add(new ConfigError(VPN, "", "duplicate section [" + s.name() + "] at line " + s.line()
                        + "; first at line " + vpn.line()));
            } else {
                vpn = s;
            }
        }
        if (vpn == null) {
            errors.add(new ConfigError(VPN, "", "Vpn missing: a vpn file needs a [Vpn] section with Proxy, Token and PinnedKey or CaFile"));
            throw new ConfigException(errors);
        }
        VpnSettings settings = readVpn(vpn, baseDir, errors);
        if (!errors.isEmpty()) throw new ConfigException(errors);
        return settings;
    }

    private static VpnSettings readVpn(IniSection section, Path baseDir, List<ConfigError> errors) {
        SectionKeys keys = SectionKeys.check(section, VPN, SINGLE, LISTS, errors);
        Endpoint proxy = null;
        IniEntry proxyEntry = keys.single(PROXY);
        if (proxyEntry == null) {
            errors.add(keys.missing(PROXY, "the proxy's host:port (UDP, HTTP/3), e.g. 198.18.0.1:443"));
        } else {
            try {
                proxy = Endpoint.parse(proxyEntry.value());
            } catch (InvalidValueException e) {
                errors.add(keys.invalid(proxyEntry, PROXY, e.rule(), e.given()));
            }
        }
        String serverName = proxy == null ? null : proxy.host();
        IniEntry nameEntry = keys.single(SERVER_NAME);
        if (nameEntry != null) {
            try {
                serverName = new Endpoint(nameEntry.value(), 1).host();
            } catch (InvalidValueException e) {
                errors.add(keys.invalid(nameEntry, SERVER_NAME, e.rule(), e.given()));
            }
        }
        String token = ProxyCredentialKeys.token(keys, baseDir, errors);
        ServerTrust trust = ProxyCredentialKeys.trust(keys, baseDir, errors);
        ConnectIpScope scope = scope(keys, errors);
        String tun = keys.interfaceName(TUN, VpnSettings.DEFAULT_TUN, errors);
        int mtu = (int) keys.number(MTU, 1280, 65_535, VpnSettings.DEFAULT_MTU, errors);
        long table = keys.number(TABLE, 1, 0xffff_fffeL, VpnSettings.DEFAULT_TABLE, errors);
        IniEntry tableEntry = keys.single(TABLE);
        if (tableEntry != null && (table == 253 || table == 254 || table == 255)) {
            errors.add(keys.invalid(tableEntry, TABLE, "a table of braid's own, not the kernel's default, main or local", tableEntry.value()));
        }
        VpnSettings.Transport transport = VpnSettings.Transport.AUTO;
        IniEntry transportEntry = keys.single(TRANSPORT);
        if (transportEntry != null) {
            switch (transportEntry.value().strip().toLowerCase(java.util.Locale.ROOT)) {
                case "h3" -> transport = VpnSettings.Transport.H3;
                case "h2" -> transport = VpnSettings.Transport.H2;
                case "auto" -> transport = VpnSettings.Transport.AUTO;
                default -> errors.add(keys.invalid(transportEntry, TRANSPORT, "h3, h2 or auto", transportEntry.value()));
            }
        }
        Certificates.Identity clientIdentity = clientIdentity(keys, baseDir, errors);
        if (!errors.isEmpty()) return null;
        return new VpnSettings(proxy, serverName, token, trust, scope, tun, mtu, table, transport, clientIdentity);
    }

    private static Certificates.Identity clientIdentity(SectionKeys keys, Path baseDir, List<ConfigError> errors) {
        IniEntry certificate = keys.single(CLIENT_CERTIFICATE);
        IniEntry key = keys.single(CLIENT_KEY);
        if (certificate == null && key == null) return null;
        if (certificate == null || key == null) {
            IniEntry given = certificate == null ? key : certificate;
            errors.add(keys.invalid(given, certificate == null ? CLIENT_KEY : CLIENT_CERTIFICATE,
                    "needs " + (certificate == null ? CLIENT_CERTIFICATE : CLIENT_KEY) + " too (or neither)", given.value()));
            return null;
        }
        Path chain = baseDir.resolve(certificate.value());
        Path keyFile = baseDir.resolve(key.value());
        try {
            return Certificates.load(chain, keyFile);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            String why = e instanceof NoSuchFileException missing ? "no such file " + missing.getFile()
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            errors.add(keys.invalid(certificate, CLIENT_CERTIFICATE, "cannot load the PEM certificate chain with ClientKey "
                    + keyFile + ": " + why, chain.toString()));
            return null;
        }
    }

    private static ConnectIpScope scope(SectionKeys keys, List<ConfigError> errors) {
        IniEntry target = keys.single(TARGET);
        IniEntry proto = keys.single(IP_PROTO);
        String t = target == null ? ConnectIpScope.WILDCARD : target.value();
        String p = proto == null ? ConnectIpScope.WILDCARD : proto.value();
        ConnectIpScope scope = null;
        try {
            scope = ConnectIpScope.fromVariables(Map.of(ConnectIpScope.TARGET, t, ConnectIpScope.IPPROTO, p));
        } catch (InvalidTargetException e) {
            IniEntry culprit = e.getMessage().startsWith(ConnectIpScope.IPPROTO) ? proto : target;
            String key = culprit == proto ? IP_PROTO : TARGET;
            errors.add(keys.invalid(culprit, key, e.getMessage().replaceFirst("^\\w+: ", "").replaceFirst("; given .*$", ""),
                    culprit.value()));
            return null;
        }
        if (scope.ipProtocol() == 0) {
            errors.add(keys.invalid(proto, IP_PROTO, "0 cannot be asked for (RFC 9484 §4.7.3: 0 means all); use * for all protocols", p));
            return null;
        }
        return scope;
    }
}
