package net.braid.crypto;

/**
 * The AEAD that protects data messages. The handshake itself always uses ChaCha20-Poly1305
 * (Noise_IK_25519_ChaChaPoly_SHA256); the initiator offers suites and the responder picks one
 * (docs/protocol.md §3.4). AES-256-GCM is several times faster in this JDK where the CPU has
 * AES-NI and carry-less multiply, which the JIT uses as intrinsics.
 */
public enum CipherSuite {
    CHACHA20_POLY1305(0, "ChaCha20-Poly1305", "ChaCha20"),
    AES_256_GCM(1, "AES/GCM/NoPadding", "AES");

    private final int id;
    final String transformation;
    final String keyAlgorithm;

    CipherSuite(int id, String transformation, String keyAlgorithm) {
        this.id = id;
        this.transformation = transformation;
        this.keyAlgorithm = keyAlgorithm;
    }

    /** The suite's number on the wire. */
    public int id() { return id; }

    /** The bit for this suite in an initiation's offer. */
    public int bit() { return 1 << id; }

    public static CipherSuite byId(int id) {
        for (CipherSuite s : values()) if (s.id == id) return s;
        return null;
    }

    /** The fastest suite in both the offer and our own preference (a bit set), or null. */
    public static CipherSuite choose(int offered, int ours) {
        int both = offered & ours;
        if ((both & AES_256_GCM.bit()) != 0) return AES_256_GCM;
        if ((both & CHACHA20_POLY1305.bit()) != 0) return CHACHA20_POLY1305;
        return null;
    }
}
