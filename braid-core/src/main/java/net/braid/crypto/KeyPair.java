package net.braid.crypto;

import java.util.Arrays;
import java.util.Base64;

/** A static X25519 key pair, written in base64 like WireGuard's keys. */
public final class KeyPair {
    private final byte[] privateKey;
    private final byte[] publicKey;

    private KeyPair(byte[] privateKey) {
        this.privateKey = privateKey.clone();
        this.publicKey = X25519.publicKey(this.privateKey);
    }

    public static KeyPair generate() {
        return new KeyPair(X25519.generatePrivateKey());
    }

    public static KeyPair fromPrivate(byte[] privateKey) {
        return new KeyPair(privateKey);
    }

    public byte[] privateKey() { return privateKey.clone(); }
    public byte[] publicKey() { return publicKey.clone(); }

    /** The private key without a copy, for code in this package that must not leak it. */
    byte[] privateKeyRef() { return privateKey; }
    byte[] publicKeyRef() { return publicKey; }

    public String privateKeyBase64() { return Base64.getEncoder().encodeToString(privateKey); }
    public String publicKeyBase64() { return Base64.getEncoder().encodeToString(publicKey); }

    @Override
    public String toString() {
        return "KeyPair[public=" + publicKeyBase64() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyPair k && Arrays.equals(publicKey, k.publicKey);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(publicKey); }
}
