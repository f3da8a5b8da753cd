package net.braid.interpose.tcp;

import java.nio.ByteBuffer;

/**
 * Bytes from upstream not yet acknowledged by the app, kept for retransmission: a ring that
 * starts small and doubles up to its limit, so thousands of idle flows stay cheap.
 */
final class SendBuffer {
    private final int limit;
    private byte[] ring;
    private int head;
    private int size;

    SendBuffer(int limit) {
        this.limit = limit;
        this.ring = new byte[Math.min(limit, 16 * 1024)];
    }

    int size() {
        return size;
    }

    int free() {
        return limit - size;
    }

    /** Copies as much of {@code src} as fits (moving its position) and returns the count. */
    int write(ByteBuffer src) {
        int n = Math.min(src.remaining(), free());
        if (n == 0) return 0;
        if (size + n > ring.length) grow(size + n);
        int tail = (head + size) % ring.length;
        int first = Math.min(n, ring.length - tail);
        src.get(ring, tail, first);
        if (first < n) src.get(ring, 0, n - first);
        size += n;
        return n;
    }

    /** Copies {@code len} bytes starting {@code from} bytes past the oldest into {@code dst} at its position. */
    void copy(int from, int len, ByteBuffer dst) {
        int start = (head + from) % ring.length;
        int first = Math.min(len, ring.length - start);
        dst.put(ring, start, first);
        if (first < len) dst.put(ring, 0, len - first);
    }

    /** Drops the {@code n} oldest bytes (acknowledged). */
    void release(int n) {
        head = (head + n) % ring.length;
        size -= n;
        if (size == 0) head = 0;
    }

    private void grow(int needed) {
        int cap = ring.length;
        while (cap < needed) cap = (int) Math.min(limit, 2L * cap);
        byte[] bigger = new byte[cap];
        int first = Math.min(size, ring.length - head);
        System.arraycopy(ring, head, bigger, 0, first);
        System.arraycopy(ring, 0, bigger, first, size - first);
        ring = bigger;
        head = 0;
    }
}
