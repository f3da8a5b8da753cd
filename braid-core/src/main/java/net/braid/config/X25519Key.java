package net.braid.config;

import net.braid.crypto.X25519;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * The 32 raw bytes of an X25519 key (RFC 7748), private or public, as WireGuard writes them in
 * base64. Only holds bytes: key pairs and the handshake live in the crypto package. Copies in
 * and out so no caller can change a key another holds, and never prints the bytes.
 */
public final class X25519Key {

    public static final int LENGTH = 32;
    static final String BASE64_RULE = "base64 of 32 bytes expected";

    private final byte[] bytes;

    public X25519Key(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new InvalidValueException(BASE64_RULE, bytes.length + " bytes");
        }
        this.bytes = bytes.clone();
    }

    /**
     * Decodes standard base64 (padding optional). The error never quotes the text, which may be
     * a private key.
     *
     * @throws InvalidValueException with the given part "31 bytes" or "text that is not base64"
     */
    public static X25519Key fromBase64(String text) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(BASE64_RULE, "text that is not base64");
        }
        try {
            return new X25519Key(decoded);
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    /** A copy of the raw bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * Treating this key as a private key, its public key: X25519(k, 9) per RFC 7748 section 6.1,
     * computed by {@link X25519}. Lets the validator refuse a peer
     * that is ourselves.
     */
    public X25519Key derivePublic() {
        return new X25519Key(X25519.publicKey(bytes));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof X25519Key k && MessageDigest.isEqual(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Deliberately without the bytes, so a private key cannot reach a log through toString. */
    @Override
    public String toString() {
        return "X25519Key[32 bytes]";
    }
}
