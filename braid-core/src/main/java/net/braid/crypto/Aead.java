package net.braid.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * ChaCha20-Poly1305 (RFC 8439) or AES-256-GCM (NIST SP 800-38D), both with a 96-bit nonce
 * built from a 64-bit counter: four zero bytes, then the counter. The handshake encodes the
 * counter little-endian as Noise §12.3 requires; data packets big-endian, matching the counter
 * on the wire (docs/protocol.md). The suite follows from the key ({@link #key(byte[], CipherSuite)}).
 *
 * <p>Not thread-safe: each thread that seals or opens keeps its own instance.
 */
public final class Aead {
    public static final int TAG_BYTES = 16;
    public static final int KEY_BYTES = 32;

    private final Cipher chacha;
    private Cipher gcm;
    private final byte[] nonce = new byte[12];

    public Aead() {
        chacha = cipher(CipherSuite.CHACHA20_POLY1305);
    }

    private static Cipher cipher(CipherSuite suite) {
        try {
            return Cipher.getInstance(suite.transformation);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(suite + " unavailable in this JDK", e);
        }
    }

    /** A ChaCha20-Poly1305 key. */
    public static SecretKey key(byte[] raw) {
        return key(raw, CipherSuite.CHACHA20_POLY1305);
    }

    public static SecretKey key(byte[] raw, CipherSuite suite) {
        if (raw.length != KEY_BYTES) throw new IllegalArgumentException("AEAD key must be 32 bytes");
        return new SecretKeySpec(raw, suite.keyAlgorithm);
    }

    /** The cipher for the key's suite, initialised with the current nonce. */
    private Cipher init(int mode, SecretKey key) throws GeneralSecurityException {
        if (key.getAlgorithm().equals("AES")) {
            if (gcm == null) gcm = cipher(CipherSuite.AES_256_GCM);
            gcm.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            return gcm;
        }
        chacha.init(mode, key, new IvParameterSpec(nonce));
        return chacha;
    }

    /** Encrypts in → out (counter big-endian in the nonce); out receives ciphertext plus tag. */
    public void seal(SecretKey key, long counter, byte[] aad, ByteBuffer in, ByteBuffer out) {
        nonceBigEndian(counter);
        try {
            Cipher cipher = init(Cipher.ENCRYPT_MODE, key);
            if (aad != null) cipher.updateAAD(aad);
            cipher.doFinal(in, out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("seal failed", e);
        }
    }

    /**
     * Decrypts and authenticates in → out.
     *
     * @return false when the tag does not verify (the packet must be dropped)
     */
    public boolean open(SecretKey key, long counter, byte[] aad, ByteBuffer in, ByteBuffer out) {
        nonceBigEndian(counter);
        try {
            Cipher cipher = init(Cipher.DECRYPT_MODE, key);
            if (aad != null) cipher.updateAAD(aad);
            cipher.doFinal(in, out);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** {@link #seal(SecretKey, long, byte[], ByteBuffer, ByteBuffer)} with the AAD in a buffer (position to limit). */
    public void seal(SecretKey key, long counter, ByteBuffer aad, ByteBuffer in, ByteBuffer out) {
        seal(key, counter, aad == null ? null : bytes(aad), in, out);
    }

    /** {@link #open(SecretKey, long, byte[], ByteBuffer, ByteBuffer)} with the AAD in a buffer. */
    public boolean open(SecretKey key, long counter, ByteBuffer aad, ByteBuffer in, ByteBuffer out) {
        return open(key, counter, aad == null ? null : bytes(aad), in, out);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    /** Noise-style byte-array encryption (nonce counter little-endian, Noise §12.3). */
    public byte[] sealNoise(byte[] key, long n, byte[] ad, byte[] plaintext) {
        nonceLittleEndian(n);
        try {
            chacha.init(Cipher.ENCRYPT_MODE, key(key), new IvParameterSpec(nonce));
            chacha.updateAAD(ad);
            return chacha.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("seal failed", e);
        }
    }

    /** @return the plaintext, or null when authentication fails */
    public byte[] openNoise(byte[] key, long n, byte[] ad, byte[] ciphertext) {
        nonceLittleEndian(n);
        try {
            chacha.init(Cipher.DECRYPT_MODE, key(key), new IvParameterSpec(nonce));
            chacha.updateAAD(ad);
            return chacha.doFinal(ciphertext);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    private void nonceBigEndian(long counter) {
        for (int i = 0; i < 4; i++) nonce[i] = 0;
        for (int i = 0; i < 8; i++) nonce[4 + i] = (byte) (counter >>> (56 - 8 * i));
    }

    private void nonceLittleEndian(long counter) {
        for (int i = 0; i < 4; i++) nonce[i] = 0;
        for (int i = 0; i < 8; i++) nonce[4 + i] = (byte) (counter >>> (8 * i));
    }
}
