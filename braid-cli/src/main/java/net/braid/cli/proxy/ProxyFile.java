package net.braid.cli.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import net.braid.cli.ipegress.ConnectIpSection;
import net.braid.cli.ipegress.ConnectIpSettings;
import net.braid.config.ConfigError;
import net.braid.config.ConfigException;
import net.braid.config.Endpoint;
import net.braid.config.IniDocument;
import net.braid.config.IniEntry;
import net.braid.config.IniParser;
import net.braid.config.IniSection;
import net.braid.config.InvalidValueException;
import net.braid.config.IpPrefix;
import net.braid.masque.h3.Certificates;
import net.braid.masque.h3.ClientTrust;

/**
 * Reads a {@code braid proxy} file: INI in the style of {@code braid up}, every problem reported at
 * once, each naming section, key, the rule and the value ({@code Proxy.Listen invalid: port max
 * 65535; given 1.2.3.4:70000}). Tokens are never echoed, only their length.
 *
 * <pre>
 * [Proxy]
 * Listen = 198.18.0.1:443          # UDP, HTTP/3 (required)
 * ListenTcp = 198.18.0.1:443       # TCP, the HTTP/2 fallback (RFC 8441); optional
 * Certificate = proxy.crt           # PEM chain; with PrivateKey, or neither (self-signed)
 * PrivateKey = proxy.key
 * Token = s3cret                    # repeatable; and/or TokenFile, one token a line
 * ClientCa = clients-ca.pem          # optional: TLS client certificates from these CAs required too
 * AllowTarget = 198.18.0.0/15       # repeatable; exceptions to the default deny
 * UdpIdleTimeout = 120              # seconds
 * </pre>
 *
 * Relative paths are read from the file's directory. An optional {@code [ConnectIp]} section turns
 * CONNECT-IP on (see {@link ConnectIpSection}): {@link #SECTIONS} lists the sections this reader knows.
 */
public final class ProxyFile {
    static final String PROXY = "Proxy";
    static final String LISTEN = "Listen";
    static final String LISTEN_TCP = "ListenTcp";
    static final String CERTIFICATE = "Certificate";
    static final String PRIVATE_KEY = "PrivateKey";
    static final String TOKEN = "Token";
    static final String TOKEN_FILE = "TokenFile";
    static final String ALLOW_TARGET = "AllowTarget";
    static final String UDP_IDLE_TIMEOUT = "UdpIdleTimeout";
    static final String CLIENT_CA = "ClientCa";

    /** The sections a proxy file may hold. */
    static final List<String> SECTIONS = List.of(PROXY, ConnectIpSection.NAME);
    private static final List<String> SINGLE_KEYS = List.of(LISTEN, LISTEN_TCP, CERTIFICATE, PRIVATE_KEY, TOKEN_FILE, UDP_IDLE_TIMEOUT,
            CLIENT_CA);
    private static final List<String> LIST_KEYS = List.of(TOKEN, ALLOW_TARGET);
    /** RFC 6750 §2.1 b64token, which AccessTokens also enforces. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final long MAX_IDLE_SECONDS = 86_400;

    private ProxyFile() {}

    /** @throws ConfigException when the file cannot be read or breaks any rule, with every problem */
    public static ProxySettings read(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(new ConfigError("", "", "cannot read " + file + ": " + reason(file, e)));
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, dir == null ? Path.of(".") : dir);
    }

    /** Reads configuration text; relative paths in it are resolved against {@code baseDir}. */
    public static ProxySettings parse(String text, Path baseDir) throws ConfigException {
        List<ConfigError> errors = new ArrayList<>();
        // Syntax errors, all of them, come alone: what follows a broken line cannot be trusted.
        IniDocument document = IniParser.parse(text);
        Map<String, Integer> firstLine = new HashMap<>();
        IniSection proxy = null;
        IniSection connectIp = null;
        for (IniSection s : document.sections()) {
            Optional<String> known = SECTIONS.stream().filter(s::is).findFirst();
            if (known.isEmpty()) {
                errors.add(new ConfigError(s.name(), "", "unknown section [" + s.name() + "] at line " + s.line()
                        + "; expected " + String.join(", ", SECTIONS.stream().map(n -> "[" + n + "]").toList())));
                continue;
            }
            Integer earlier = firstLine.putIfAbsent(known.get(), s.line());
            if (earlier != null) {
                errors.add(new ConfigError(known.get(), "", "duplicate section [" + s.name() + "] at line " + s.line()
                        + "; first at line " + earlier));
            } else if (s.is(PROXY)) {
                proxy = s;
            } else if (s.is(ConnectIpSection.NAME)) {
                connectIp = s;
            }
        }
        ProxySettings settings = null;
        if (proxy == null) {
            errors.add(new ConfigError(PROXY, "", PROXY + " missing: a proxy file needs a [Proxy] section with Listen and Token"));
        } else {
            settings = readProxy(proxy, baseDir, errors);
        }
        if (connectIp != null) {
            ConnectIpSettings ip = ConnectIpSection.read(connectIp, settings == null ? List.of() : settings.allowedTargets(), errors);
            if (settings != null && ip != null) settings = settings.withConnectIp(ip);
        }
        if (!errors.isEmpty()) throw new ConfigException(errors);
        return settings;
    }

    private static ProxySettings readProxy(IniSection section, Path baseDir, List<ConfigError> errors) {
        int before = errors.size();
        Map<String, String> canonical = new HashMap<>();
        SINGLE_KEYS.forEach(k -> canonical.put(k.toLowerCase(Locale.ROOT), k));
        LIST_KEYS.forEach(k -> canonical.put(k.toLowerCase(Locale.ROOT), k));
        Map<String, IniEntry> singles = new HashMap<>();
        for (IniEntry e : section.entries()) {
            String key = canonical.get(e.normalizedKey());
            if (key == null) {
                errors.add(new ConfigError(PROXY, e.key(), "unknown key [" + section.name() + "] " + e.key() + " at line " + e.line()
                        + "; expected one of " + String.join(", ", SINGLE_KEYS) + ", " + String.join(", ", LIST_KEYS)));
            } else if (SINGLE_KEYS.contains(key)) {
                IniEntry first = singles.putIfAbsent(key, e);
                if (first != null) {
                    errors.add(new ConfigError(PROXY, key, "duplicate key [" + section.name() + "] " + e.key() + " at line "
                            + e.line() + "; first at line " + first.line()));
                }
            }
        }

        InetSocketAddress listen = null;
        IniEntry listenEntry = singles.get(LISTEN);
        if (listenEntry == null) {
            errors.add(new ConfigError(PROXY, LISTEN, "Proxy.Listen missing: the UDP address to serve HTTP/3 on, e.g. 198.18.0.1:443"));
        } else {
            listen = listenAddress(listenEntry, LISTEN, errors);
        }
        InetSocketAddress listenTcp = singles.get(LISTEN_TCP) == null ? null : listenAddress(singles.get(LISTEN_TCP), LISTEN_TCP, errors);

        Certificates.Identity identity = identity(singles.get(CERTIFICATE), singles.get(PRIVATE_KEY), baseDir, errors);

        Set<String> tokens = new LinkedHashSet<>();
        for (IniEntry e : section.all(TOKEN)) {
            for (String token : e.items()) {
                if (B64TOKEN.matcher(token).matches()) tokens.add(token);
                else errors.add(invalid(e, TOKEN, "a bearer token is A-Z a-z 0-9 - . _ ~ + / then = (RFC 6750 §2.1)",
                        "a value of " + token.length() + " characters"));
            }
        }
        IniEntry tokenFile = singles.get(TOKEN_FILE);
        if (tokenFile != null) tokens.addAll(tokenFile(tokenFile, baseDir, errors));
        if (tokens.isEmpty() && section.all(TOKEN).isEmpty() && tokenFile == null) {
            errors.add(new ConfigError(PROXY, TOKEN, "Proxy.Token missing: the proxy refuses unauthenticated use;"
                    + " give Token = ... or TokenFile = PATH"));
        }

        List<IpPrefix> allowed = new ArrayList<>();
        for (IniEntry e : section.all(ALLOW_TARGET)) {
            for (String item : e.items()) {
                try {
                    allowed.add(IpPrefix.parse(item).network());
                } catch (InvalidValueException ex) {
                    errors.add(invalid(e, ALLOW_TARGET, ex.rule(), item));
                }
            }
        }

        Duration idle = ProxySettings.DEFAULT_UDP_IDLE;
        IniEntry idleEntry = singles.get(UDP_IDLE_TIMEOUT);
        if (idleEntry != null) {
            String v = idleEntry.value();
            if (!v.matches("[0-9]{1,9}")) {
                errors.add(invalid(idleEntry, UDP_IDLE_TIMEOUT, "whole number of seconds expected", given(v)));
            } else if (Long.parseLong(v) < 1 || Long.parseLong(v) > MAX_IDLE_SECONDS) {
                errors.add(invalid(idleEntry, UDP_IDLE_TIMEOUT, "seconds between 1 and " + MAX_IDLE_SECONDS, v));
            } else {
                idle = Duration.ofSeconds(Long.parseLong(v));
            }
        }
        ClientTrust clientTrust = null;
        IniEntry clientCa = singles.get(CLIENT_CA);
        if (clientCa != null) {
            Path p = baseDir.resolve(clientCa.value());
            try {
                clientTrust = ClientTrust.fromPem(p);
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                errors.add(invalid(clientCa, CLIENT_CA, "a readable PEM file of CA certificates expected: "
                        + (e instanceof IOException io ? reason(p, io) : e.getMessage()), p.toString()));
            }
        }
        if (errors.size() > before) return null;
        return new ProxySettings(listen, identity, tokens, allowed, idle).withListenTcp(listenTcp).withClientTrust(clientTrust);
    }

    private static InetSocketAddress listenAddress(IniEntry entry, String key, List<ConfigError> errors) {
        Endpoint endpoint;
        try {
            endpoint = Endpoint.parse(entry.value());
        } catch (InvalidValueException e) {
            errors.add(invalid(entry, key, e.rule(), e.given()));
            return null;
        }
        Optional<InetAddress> address = endpoint.literal();
        if (address.isEmpty()) {
            errors.add(invalid(entry, key, "an IP address to bind expected, not a name (0.0.0.0 or [::] for all)", entry.value()));
            return null;
        }
        return new InetSocketAddress(address.get(), endpoint.port());
    }

    private static Certificates.Identity identity(IniEntry certificate, IniEntry key, Path baseDir, List<ConfigError> errors) {
        if (certificate == null && key == null) return null;
        if (certificate == null || key == null) {
            IniEntry given = certificate == null ? key : certificate;
            String other = certificate == null ? CERTIFICATE : PRIVATE_KEY;
            errors.add(invalid(given, certificate == null ? PRIVATE_KEY : CERTIFICATE,
                    "needs " + other + " too (or neither, for a self-signed certificate)", given(given.value())));
            return null;
        }
        Path chain = baseDir.resolve(certificate.value());
        Path keyFile = baseDir.resolve(key.value());
        boolean readable = true;
        for (var pair : List.of(Map.entry(certificate, chain), Map.entry(key, keyFile))) {
            Path p = pair.getValue();
            String problem = !Files.exists(p) ? "no such file" : !Files.isReadable(p) ? "permission denied"
                    : Files.isDirectory(p) ? "is a directory" : null;
            if (problem != null) {
                String k = pair.getKey() == certificate ? CERTIFICATE : PRIVATE_KEY;
                errors.add(invalid(pair.getKey(), k, "a readable PEM file expected: " + problem, p.toString()));
                readable = false;
            }
        }
        if (!readable) return null;
        try {
            return Certificates.load(chain, keyFile);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            errors.add(invalid(certificate, CERTIFICATE, "cannot load the PEM certificate chain with PrivateKey " + keyFile + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), chain.toString()));
            return null;
        }
    }

    private static Set<String> tokenFile(IniEntry entry, Path baseDir, List<ConfigError> errors) {
        Path file = baseDir.resolve(entry.value());
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            errors.add(invalid(entry, TOKEN_FILE, "cannot read: " + reason(file, e), file.toString()));
            return Set.of();
        }
        Set<String> tokens = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (B64TOKEN.matcher(line).matches()) tokens.add(line);
            else errors.add(invalid(entry, TOKEN_FILE, "line " + (i + 1) + " is not a bearer token"
                    + " (A-Z a-z 0-9 - . _ ~ + / then =, RFC 6750 §2.1)", file.toString()));
        }
        if (tokens.isEmpty() && errors.stream().noneMatch(e -> e.key().equals(TOKEN_FILE))) {
            errors.add(invalid(entry, TOKEN_FILE, "no token in the file (one a line; # starts a comment)", file.toString()));
        }
        return tokens;
    }

    /** {@code Proxy.Key invalid: rule; given value}, as braid up words it. */
    private static ConfigError invalid(IniEntry entry, String key, String rule, String given) {
        return new ConfigError(PROXY, key, PROXY + "." + entry.key() + " invalid: " + rule + "; given " + given);
    }

    private static String given(String text) {
        return text.isEmpty() ? "nothing" : text;
    }

    private static String reason(Path file, IOException e) {
        return switch (e) {
            case NoSuchFileException _ -> "no such file";
            case AccessDeniedException _ -> "permission denied";
            case CharacterCodingException _ -> "not UTF-8 text";
            default -> Files.isDirectory(file) ? "is a directory"
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }
}
