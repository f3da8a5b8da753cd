package net.braid.cli.ipegress;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.braid.device.PacketDevice;

/**
 * A platform thread that reads a {@link PacketDevice} in batches and gives each packet, position to
 * limit, to a consumer on that thread; the buffer is reused after the call. Ends when the device
 * is closed (its read returns -1).
 */
public final class DeviceReader implements AutoCloseable {
    private static final int BATCH = 64;
    private static final Logger LOG = Logger.getLogger(DeviceReader.class.getName());

    private final PacketDevice device;
    private final Consumer<ByteBuffer> consumer;
    private final Thread thread;
    private volatile boolean stopping;

    private DeviceReader(PacketDevice device, Consumer<ByteBuffer> consumer, String threadName) {
        this.device = device;
        this.consumer = consumer;
        this.thread = Thread.ofPlatform().daemon().name(threadName).unstarted(this::run);
    }

    /** Starts reading at once. */
    public static DeviceReader start(PacketDevice device, Consumer<ByteBuffer> consumer, String threadName) {
        DeviceReader r = new DeviceReader(device, consumer, threadName);
        r.thread.start();
        return r;
    }

    private void run() {
        ByteBuffer[] packets = new ByteBuffer[BATCH];
        for (int i = 0; i < BATCH; i++) packets[i] = ByteBuffer.allocateDirect(device.mtu());
        while (!stopping) {
            for (ByteBuffer b : packets) b.clear();
            int n;
            try {
                n = device.read(packets);
            } catch (IOException e) {
                if (!stopping) LOG.log(Level.WARNING, "reading " + device.name() + " failed: " + e.getMessage());
                return;
            }
            if (n < 0) return;
            for (int i = 0; i < n; i++) {
                try {
                    consumer.accept(packets[i]);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "a packet from " + device.name() + " was lost: " + e, e);
                }
            }
        }
    }

    /**
     * Waits for the thread to end; close the device first, which wakes a blocked read.
     */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
