package net.braid.device;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory {@link PacketDevice} for tests: what the engine writes is collected in
 * {@link #sent()}; what a test {@link #inject injects} is what the engine reads. Both queues are
 * bounded; a full queue drops and counts.
 */
public final class MemoryPacketDevice implements PacketDevice {
    private static final byte[] CLOSED = new byte[0];

    private final String name;
    private final int mtu;
    private final BlockingQueue<byte[]> toEngine;
    private final BlockingQueue<byte[]> fromEngine;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    public MemoryPacketDevice(String name, int mtu, int capacity) {
        this.name = name;
        this.mtu = mtu;
        this.toEngine = new ArrayBlockingQueue<>(capacity);
        this.fromEngine = new ArrayBlockingQueue<>(capacity);
    }

    public MemoryPacketDevice(String name, int mtu) {
        this(name, mtu, 4096);
    }

    @Override public String name() { return name; }
    @Override public int mtu() { return mtu; }

    /** Queues a packet for the engine to read; false (and counted) when the queue is full. */
    public boolean inject(byte[] packet) {
        if (closed || !toEngine.offer(packet.clone())) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Packets the engine wrote, in order. */
    public BlockingQueue<byte[]> sent() { return fromEngine; }

    /** Waits up to the timeout for the next packet the engine wrote; null on timeout. */
    public byte[] awaitSent(long timeout, TimeUnit unit) throws InterruptedException {
        return fromEngine.poll(timeout, unit);
    }

    public long dropped() { return dropped.get(); }

    @Override
    public int read(ByteBuffer[] packets) {
        try {
            byte[] first = toEngine.take();
            if (first == CLOSED) {
                toEngine.offer(CLOSED);
                return -1;
            }
            int n = 0;
            byte[] p = first;
            while (p != null) {
                if (p == CLOSED) {
                    toEngine.offer(CLOSED);
                    break;
                }
                ByteBuffer b = packets[n++];
                b.clear();
                b.put(p).flip();
                if (n == packets.length) break;
                p = toEngine.poll();
            }
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void write(ByteBuffer[] packets, int count) {
        for (int i = 0; i < count; i++) {
            ByteBuffer b = packets[i];
            byte[] p = new byte[b.remaining()];
            b.duplicate().get(p);
            if (p.length > mtu || closed || !fromEngine.offer(p)) dropped.incrementAndGet();
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        toEngine.clear();
        toEngine.offer(CLOSED);
    }
}
