package net.braid.interpose.tcp;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Segments that arrived above a hole, by stream offset, at most {@code capacity} of them;
 * PseudoTCP dropped these, forcing the app to resend everything after a single loss. Only the
 * loss path allocates here.
 */
final class OutOfOrderQueue {
    private final int capacity;
    private final TreeMap<Long, byte[]> segments = new TreeMap<>();
    private long finAt = -1;

    OutOfOrderQueue(int capacity) {
        this.capacity = capacity;
    }

    boolean isEmpty() {
        return segments.isEmpty() && finAt < 0;
    }

    int segments() {
        return segments.size();
    }

    /** Holds {@code data} (its remaining bytes) starting at stream offset {@code at}; false if full. */
    boolean add(long at, ByteBuffer data) {
        byte[] held = segments.get(at);
        if (held != null && held.length >= data.remaining()) return true;
        if (held == null && segments.size() >= capacity) return false;
        byte[] copy = new byte[data.remaining()];
        data.get(data.position(), copy);
        segments.put(at, copy);
        return true;
    }

    /** Remembers a FIN that follows the byte before offset {@code at}. */
    void fin(long at) {
        finAt = at;
    }

    /**
     * Hands {@code deliver} the bytes that now continue the stream at {@code next}, in order,
     * and returns the new next offset. Segments wholly below {@code next} are dropped.
     */
    long drain(long next, Consumer<ByteBuffer> deliver) {
        Map.Entry<Long, byte[]> e;
        while ((e = segments.firstEntry()) != null && e.getKey() <= next) {
            segments.pollFirstEntry();
            long end = e.getKey() + e.getValue().length;
            if (end <= next) continue;
            int skip = (int) (next - e.getKey());
            deliver.accept(ByteBuffer.wrap(e.getValue(), skip, e.getValue().length - skip));
            next = end;
        }
        return next;
    }

    /** True if a FIN is held at exactly {@code next}. */
    boolean finAt(long next) {
        return finAt == next;
    }

    /** Bytes held, for the window computation. */
    long bytes() {
        long n = 0;
        for (byte[] s : segments.values()) n += s.length;
        return n;
    }
}
