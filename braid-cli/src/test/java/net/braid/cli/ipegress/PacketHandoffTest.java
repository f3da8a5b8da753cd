package net.braid.cli.ipegress;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.braid.device.PacketDevice;
import org.junit.jupiter.api.Test;

class PacketHandoffTest {
    /** Records what is written; the first write waits until released. */
    static final class SlowDevice implements PacketDevice {
        final List<byte[]> written = new CopyOnWriteArrayList<>();
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override public String name() { return "double0"; }
        @Override public int mtu() { return 1500; }
        @Override public int read(ByteBuffer[] packets) { return -1; }

        @Override
        public void write(ByteBuffer[] packets, int count) {
            writing.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < count; i++) {
                byte[] b = new byte[packets[i].remaining()];
                packets[i].duplicate().get(b);
                written.add(b);
            }
        }

        @Override public void close() {}
    }

    static ByteBuffer packet(int marker, int length) {
        ByteBuffer b = ByteBuffer.allocate(length + 8);
        b.position(3); // the hand-off copies position to limit, wherever they are
        for (int i = 0; i < length; i++) b.put((byte) marker);
        b.flip().position(3);
        return b;
    }

    @Test
    void copiesInOrderAndDropsWhenEveryBufferWaits() throws Exception {
        var device = new SlowDevice();
        try (var handoff = new PacketHandoff(device, 4, 100, "test-writer")) {
            ByteBuffer first = packet(1, 10);
            assertThat(handoff.offer(first)).isTrue();
            assertThat(first.position()).as("the caller's buffer does not move").isEqualTo(3);
            assertThat(device.writing.await(10, TimeUnit.SECONDS)).isTrue(); // the writer holds packet 1
            for (int i = 2; i <= 4; i++) assertThat(handoff.offer(packet(i, 10))).isTrue();
            assertThat(handoff.offer(packet(5, 10))).as("no buffer free").isFalse();
            assertThat(handoff.offer(packet(6, 101))).as("larger than a buffer").isFalse();
            device.release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (device.written.size() < 4 && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(device.written).extracting(b -> (int) b[0]).containsExactly(1, 2, 3, 4);
            assertThat(device.written).allSatisfy(b -> assertThat(b).hasSize(10));
            assertThat(handoff.accepted()).isEqualTo(4);
            assertThat(handoff.droppedFull()).isEqualTo(1);
            assertThat(handoff.droppedTooLarge()).isEqualTo(1);
            assertThat(handoff.offer(packet(7, 10))).as("buffers return after the write").isTrue();
        }
    }
}
