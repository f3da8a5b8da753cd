package net.braid.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * X25519 (RFC 7748) on raw 32-byte little-endian keys, as WireGuard and Noise use them, built on
 * the JDK's XDH provider.
 */
public final class X25519 {
    public static final int KEY_BYTES = 32;
    private static final byte[] BASE_POINT = new byte[KEY_BYTES];
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        BASE_POINT[0] = 9; // RFC 7748 §4.1: u = 9
    }

    private X25519() {}

    /** A fresh private key, clamped as RFC 7748 §5 describes so it prints like WireGuard's. */
    public static byte[] generatePrivateKey() {
        byte[] k = new byte[KEY_BYTES];
        RANDOM.nextBytes(k);
        k[0] &= (byte) 248;
        k[31] &= 127;
        k[31] |= 64;
        return k;
    }

    public static byte[] publicKey(byte[] privateKey) {
        try {
            return agree(privateKey, BASE_POINT);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("invalid X25519 private key", e);
        }
    }

    /**
     * The shared secret X25519(privateKey, publicKey).
     *
     * @throws InvalidKeyException when the peer's point has small order (all-zero output,
     *     RFC 7748 §6.1), which a handshake must treat as a failed authentication
     */
    public static byte[] agree(byte[] privateKey, byte[] publicKey) throws InvalidKeyException {
        check(privateKey);
        check(publicKey);
        try {
            KeyFactory kf = KeyFactory.getInstance("XDH");
            PrivateKey priv = kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey));
            PublicKey pub = kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, decodeU(publicKey)));
            KeyAgreement ka = KeyAgreement.getInstance("XDH");
            ka.init(priv);
            ka.doPhase(pub, true);
            byte[] secret = ka.generateSecret();
            int acc = 0;
            for (byte b : secret) acc |= b;
            if (acc == 0) throw new InvalidKeyException("X25519 result is all zero");
            return secret;
        } catch (InvalidKeyException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new InvalidKeyException("X25519 failed: " + e.getMessage(), e);
        }
    }

    /** RFC 7748 §5 decodeUCoordinate: little-endian, most significant bit masked. */
    private static BigInteger decodeU(byte[] u) {
        byte[] be = new byte[KEY_BYTES];
        for (int i = 0; i < KEY_BYTES; i++) be[i] = u[KEY_BYTES - 1 - i];
        be[0] &= 0x7f;
        return new BigInteger(1, be);
    }

    private static void check(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("X25519 key must be 32 bytes");
        }
    }
}
