package net.braid.masque.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The per-datagram path (write, parse, read IDs) allocates nothing once warm. */
class DatagramPathAllocationTest {

    private static final int ROUNDS = 20_000;

    private long checksum;

    @Test
    void datagramCapsulesAndQuicDatagramsDoNotAllocatePerPacket() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(), "JVM cannot count allocations per thread");
        threads.setThreadAllocatedMemoryEnabled(true);

        ByteBuffer payload = ByteBuffer.allocate(1200);
        ByteBuffer stream = ByteBuffer.allocate(3 * 1300);
        ByteBuffer frame = ByteBuffer.allocate(1300);
        CapsuleParser parser = new CapsuleParser();
        CapsuleHandler handler = p -> checksum += p.remaining() + p.get(p.position());
        for (int i = 0; i < ROUNDS; i++) round(payload, stream, frame, parser, handler); // warm up and grow
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < ROUNDS; i++) round(payload, stream, frame, parser, handler);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(checksum).isPositive();
        // Under one byte per round: the odd JIT or JFR object, not one per packet.
        assertThat(allocated).as("bytes allocated in %d rounds", ROUNDS).isLessThan(ROUNDS);
    }

    private void round(ByteBuffer payload, ByteBuffer stream, ByteBuffer frame, CapsuleParser parser, CapsuleHandler handler)
            throws Exception {
        payload.clear();
        payload.put(0, (byte) 0x45);
        stream.clear();
        CapsuleWriter.writeDatagram(stream, 0, payload);
        CapsuleWriter.writeDatagram(stream, 0, payload);
        stream.flip();
        // First capsule whole in one chunk (zero-copy view), second split across two chunks.
        int split = stream.limit() - 700;
        stream.limit(split);
        parser.feed(stream, handler);
        stream.limit(split + 700);
        parser.feed(stream, handler);

        frame.clear();
        HttpDatagram.writeQuic(frame, 1, 0, payload);
        frame.flip();
        checksum += HttpDatagram.readQuarterStreamId(frame) + HttpDatagram.readContextId(frame) + frame.remaining();
    }
}
