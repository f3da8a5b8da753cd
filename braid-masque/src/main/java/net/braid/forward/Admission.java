package net.braid.forward;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicInteger;

/** Who may open a forward on a listener: the token check and the cap on concurrent connections. */
final class Admission {
    private final byte[] tokenHash;
    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();

    /** @param token the token clients must present, or null to accept any */
    Admission(String token, int maxConnections) {
        this.tokenHash = token == null ? null : sha256(token);
        this.maxConnections = maxConnections;
    }

    /** Compares hashes in constant time, so neither the token's bytes nor its length leak through timing. */
    boolean tokenAccepted(String presented) {
        if (tokenHash == null) return true;
        return presented != null && MessageDigest.isEqual(tokenHash, sha256(presented));
    }

    /** Takes a connection slot; false when all {@code maxConnections} are in use. */
    boolean tryEnter() {
        while (true) {
            int n = open.get();
            if (n >= maxConnections) return false;
            if (open.compareAndSet(n, n + 1)) return true;
        }
    }

    void leave() {
        open.decrementAndGet();
    }

    int open() {
        return open.get();
    }

    int maxConnections() {
        return maxConnections;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
