package net.braid.cli.ipegress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import net.braid.config.ConfigError;
import net.braid.config.IniEntry;
import net.braid.masque.h3.ServerTrust;

/**
 * How a client file ({@code braid vpn}, {@code braid interpose}) says who it is to a proxy and
 * whom it trusts: {@code Token}/{@code TokenFile}, and {@code PinnedKey} (repeatable) or
 * {@code CaFile}. Errors name the key and never echo a token.
 */
public final class ProxyCredentialKeys {
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    private ProxyCredentialKeys() {}

    /** The bearer token from Token or the first non-empty line of TokenFile; null (and an error) otherwise. */
    public static String token(SectionKeys keys, Path baseDir, List<ConfigError> errors) {
        IniEntry token = keys.single("Token");
        IniEntry file = keys.single("TokenFile");
        if (token != null && file != null) {
            errors.add(keys.invalid(file, "TokenFile", "give Token or TokenFile, not both", file.value()));
            return null;
        }
        if (token == null && file == null) {
            errors.add(keys.missing("Token", "the proxy refuses unauthenticated use; give Token = ... or TokenFile = PATH"));
            return null;
        }
        String value;
        IniEntry entry = token != null ? token : file;
        if (token != null) {
            value = token.value().strip();
        } else {
            Path p = baseDir.resolve(file.value());
            try {
                value = Files.readAllLines(p).stream().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
            } catch (IOException e) {
                errors.add(keys.invalid(file, "TokenFile", "cannot read: " + (e instanceof NoSuchFileException ? "no such file"
                        : e.getMessage()), p.toString()));
                return null;
            }
        }
        if (!B64TOKEN.matcher(value).matches()) {
            // Never echo a token: its length says enough.
            errors.add(keys.invalid(entry, entry == token ? "Token" : "TokenFile",
                    "a bearer token is A-Z a-z 0-9 - . _ ~ + / then = (RFC 6750 §2.1)", "a value of " + value.length() + " characters"));
            return null;
        }
        return value;
    }

    /** Pinned keys or CA certificates; null (and an error) when neither or both are given or one is bad. */
    public static ServerTrust trust(SectionKeys keys, Path baseDir, List<ConfigError> errors) {
        List<IniEntry> pins = keys.all("PinnedKey");
        IniEntry ca = keys.single("CaFile");
        if (!pins.isEmpty() && ca != null) {
            errors.add(keys.invalid(ca, "CaFile", "give PinnedKey or CaFile, not both", ca.value()));
            return null;
        }
        if (ca != null) {
            Path p = baseDir.resolve(ca.value());
            try {
                return ServerTrust.CertificateAuthorities.fromPem(p);
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                errors.add(keys.invalid(ca, "CaFile", "a readable PEM file of CA certificates expected: "
                        + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()), p.toString()));
                return null;
            }
        }
        if (pins.isEmpty()) {
            errors.add(keys.missing("PinnedKey", "trust the proxy by its key (PinnedKey = sha256/BASE64, as braid proxy"
                    + " prints it) or by a CA (CaFile = PATH)"));
            return null;
        }
        Set<String> valid = new LinkedHashSet<>();
        for (IniEntry e : pins) {
            for (String item : e.items()) {
                String pin = item.startsWith("sha256/") ? item.substring("sha256/".length()) : item;
                byte[] raw;
                try {
                    raw = Base64.getDecoder().decode(pin);
                } catch (IllegalArgumentException ex) {
                    raw = new byte[0];
                }
                if (raw.length == 32) valid.add(pin);
                else errors.add(keys.invalid(e, "PinnedKey", "sha256/ then the base64 SHA-256 (32 bytes) of the proxy's public key", item));
            }
        }
        return valid.isEmpty() ? null : new ServerTrust.PinnedKeys(valid);
    }

}
