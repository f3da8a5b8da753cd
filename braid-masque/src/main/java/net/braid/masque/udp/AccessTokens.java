package net.braid.masque.udp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;

/**
 * The bearer tokens (RFC 6750 §2.1) the proxy accepts. Tokens are kept as SHA-256 digests and
 * compared in constant time, so neither memory dumps nor timing reveal them.
 */
public final class AccessTokens {
    private final List<byte[]> digests;

    private AccessTokens(List<byte[]> digests) {
        this.digests = digests;
    }

    public static AccessTokens of(Set<String> tokens) {
        if (tokens.isEmpty()) throw new IllegalArgumentException("no access token: the proxy refuses unauthenticated use");
        for (String t : tokens) {
            if (t.isBlank() || !t.matches("[A-Za-z0-9\\-._~+/]+=*")) {
                throw new IllegalArgumentException("a bearer token must be b64token characters (RFC 6750 §2.1)");
            }
        }
        return new AccessTokens(tokens.stream().map(AccessTokens::digest).toList());
    }

    /** Whether {@code fieldValue}, an Authorization or Proxy-Authorization value, carries an accepted token. */
    public boolean accepts(String fieldValue) {
        if (fieldValue == null) return false;
        String v = fieldValue.strip();
        if (v.length() < 7 || !v.regionMatches(true, 0, "Bearer ", 0, 7)) return false; // scheme is case-insensitive (RFC 9110 §11.1)
        byte[] offered = digest(v.substring(7).strip());
        boolean match = false;
        for (byte[] d : digests) match |= MessageDigest.isEqual(d, offered);
        return match;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
