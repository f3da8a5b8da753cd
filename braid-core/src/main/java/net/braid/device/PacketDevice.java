package net.braid.device;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A source and sink of whole layer-3 packets (IPv4 or IPv6, no link header): a Linux TUN, an
 * Android VpnService descriptor, or an in-memory double in tests.
 *
 * <p>Reads and writes move packets in batches so an implementation can amortise system calls.
 * {@link #read} blocks until at least one packet is available or the device is closed; one
 * reader thread and one writer thread may use a device at the same time. {@link #close} never
 * blocks and wakes a blocked reader, which then returns {@code -1}.
 */
public interface PacketDevice extends AutoCloseable {

    /** The interface name, for example {@code braid0}. */
    String name();

    /** The largest packet, in bytes, the device accepts or delivers. */
    int mtu();

    /**
     * Reads up to {@code packets.length} packets. Each filled buffer has position 0 and its
     * limit at the packet's end; buffers must have capacity of at least {@link #mtu()}.
     *
     * @return the number of packets read (at least 1), or -1 once the device is closed
     */
    int read(ByteBuffer[] packets) throws IOException;

    /**
     * Writes {@code count} packets, each from its buffer's position to its limit. A packet
     * the device refuses (malformed, too large) is dropped and counted, not thrown.
     */
    void write(ByteBuffer[] packets, int count) throws IOException;

    /** Stops the device; blocked readers return -1. Idempotent, never blocks. */
    @Override
    void close();
}
