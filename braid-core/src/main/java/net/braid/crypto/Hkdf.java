package net.braid.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** SHA-256, HMAC-SHA-256 and the Noise HKDF (Noise spec rev 34 §4.3), as used by the handshake. */
public final class Hkdf {
    public static final int HASH_LEN = 32;

    private Hkdf() {}

    public static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) d.update(p);
            return d.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    public static byte[] hmac(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] p : parts) mac.update(p);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    /** HKDF(chainingKey, inputKeyMaterial, numOutputs) from Noise §4.3, with 2 or 3 outputs. */
    public static byte[][] derive(byte[] chainingKey, byte[] inputKeyMaterial, int outputs) {
        byte[] tempKey = hmac(chainingKey, inputKeyMaterial);
        byte[] out1 = hmac(tempKey, new byte[] {1});
        byte[] out2 = hmac(tempKey, out1, new byte[] {2});
        if (outputs == 2) return new byte[][] {out1, out2};
        byte[] out3 = hmac(tempKey, out2, new byte[] {3});
        return new byte[][] {out1, out2, out3};
    }
}
