package net.braid.crypto;

import java.nio.charset.StandardCharsets;

/** The Noise SymmetricState and CipherState (Noise spec rev 34 §5.1–5.2) for SHA-256 and ChaChaPoly. */
final class SymmetricState {
    private byte[] ck;
    private byte[] h;
    private byte[] k;
    private long n;
    private final Aead aead = new Aead();

    SymmetricState(String protocolName) {
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        if (name.length <= Hkdf.HASH_LEN) {
            h = new byte[Hkdf.HASH_LEN];
            System.arraycopy(name, 0, h, 0, name.length);
        } else {
            h = Hkdf.sha256(name);
        }
        ck = h.clone();
    }

    private SymmetricState(SymmetricState other) {
        ck = other.ck.clone();
        h = other.h.clone();
        k = other.k == null ? null : other.k.clone();
        n = other.n;
    }

    SymmetricState copy() { return new SymmetricState(this); }

    void mixHash(byte[] data) {
        h = Hkdf.sha256(h, data);
    }

    void mixKey(byte[] inputKeyMaterial) {
        byte[][] out = Hkdf.derive(ck, inputKeyMaterial, 2);
        ck = out[0];
        k = out[1];
        n = 0;
    }

    byte[] encryptAndHash(byte[] plaintext) {
        if (k == null) {
            mixHash(plaintext);
            return plaintext.clone();
        }
        byte[] c = aead.sealNoise(k, n++, h, plaintext);
        mixHash(c);
        return c;
    }

    /** @return the plaintext, or null when authentication fails */
    byte[] decryptAndHash(byte[] ciphertext) {
        if (k == null) {
            mixHash(ciphertext);
            return ciphertext.clone();
        }
        byte[] p = aead.openNoise(k, n++, h, ciphertext);
        if (p == null) return null;
        mixHash(ciphertext);
        return p;
    }

    /** The two transport keys: first for initiator→responder, second for responder→initiator. */
    byte[][] split() {
        return Hkdf.derive(ck, new byte[0], 2);
    }

    byte[] handshakeHash() { return h.clone(); }
}
