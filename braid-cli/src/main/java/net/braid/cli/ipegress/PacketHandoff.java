package net.braid.cli.ipegress;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.braid.device.PacketDevice;

/**
 * Hands packets from threads that must not block (Netty event loops) to one platform thread that
 * writes them to a {@link PacketDevice} in batches. The buffers are allocated once: {@link #offer}
 * copies into a free one, or drops and counts when none is free, so a slow device costs packets,
 * never an event loop's time or memory.
 */
public final class PacketHandoff implements AutoCloseable {
    private static final int BATCH = 64;
    private static final Logger LOG = Logger.getLogger(PacketHandoff.class.getName());

    private final PacketDevice device;
    private final int packetCapacity;
    private final ArrayBlockingQueue<ByteBuffer> free;
    private final ArrayBlockingQueue<ByteBuffer> queued;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder droppedFull = new LongAdder();
    private final LongAdder droppedTooLarge = new LongAdder();
    private final Thread writer;
    private volatile boolean closed;

    /**
     * @param capacity       packets that may wait for the writer
     * @param packetCapacity the largest packet taken, in bytes
     */
    public PacketHandoff(PacketDevice device, int capacity, int packetCapacity, String threadName) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
        this.device = device;
        this.packetCapacity = packetCapacity;
        this.free = new ArrayBlockingQueue<>(capacity);
        this.queued = new ArrayBlockingQueue<>(capacity);
        for (int i = 0; i < capacity; i++) free.add(ByteBuffer.allocateDirect(packetCapacity));
        this.writer = Thread.ofPlatform().daemon().name(threadName).unstarted(this::drain);
        writer.start();
    }

    /**
     * Copies the packet (position to limit; neither moves) for the writer. Never blocks; returns
     * false, counting why, when the queue is full, the packet too large, or the hand-off closed.
     */
    public boolean offer(ByteBuffer packet) {
        int length = packet.remaining();
        if (length > packetCapacity) {
            droppedTooLarge.increment();
            return false;
        }
        ByteBuffer b = closed ? null : free.poll();
        if (b == null) {
            droppedFull.increment();
            return false;
        }
        b.clear();
        b.put(0, packet, packet.position(), length);
        b.limit(length);
        queued.add(b); // cannot fail: there are only as many buffers as places
        accepted.increment();
        return true;
    }

    private void drain() {
        ByteBuffer[] batch = new ByteBuffer[BATCH];
        while (!closed) {
            ByteBuffer first;
            try {
                first = queued.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                if (closed) return;
                continue;
            }
            if (first == null) continue;
            batch[0] = first;
            int n = 1;
            ByteBuffer next;
            while (n < BATCH && (next = queued.poll()) != null) batch[n++] = next;
            try {
                device.write(batch, n);
            } catch (IOException e) {
                if (!closed) LOG.log(Level.WARNING, "writing to " + device.name() + " failed: " + e.getMessage());
            } finally {
                for (int i = 0; i < n; i++) {
                    free.add(batch[i]);
                    batch[i] = null;
                }
            }
        }
    }

    /** Packets taken for the device. */
    public long accepted() {
        return accepted.sum();
    }

    /** Packets dropped because every buffer was waiting for the writer. */
    public long droppedFull() {
        return droppedFull.sum();
    }

    /** Packets dropped for being larger than a buffer. */
    public long droppedTooLarge() {
        return droppedTooLarge.sum();
    }

    /** Stops the writer; what still waits is dropped. Does not close the device. */
    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
