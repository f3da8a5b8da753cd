package net.braid.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemoryPacketDeviceTest {
    private static ByteBuffer[] buffers(int n, int size) {
        ByteBuffer[] b = new ByteBuffer[n];
        for (int i = 0; i < n; i++) b[i] = ByteBuffer.allocate(size);
        return b;
    }

    @Test
    void readsInjectedPacketsInBatches() {
        var dev = new MemoryPacketDevice("t0", 1500);
        for (int i = 0; i < 5; i++) dev.inject(new byte[] {(byte) i, 1, 2});
        ByteBuffer[] b = buffers(3, 1500);
        assertThat(dev.read(b)).isEqualTo(3);
        assertThat(b[2].get(0)).isEqualTo((byte) 2);
        assertThat(b[2].remaining()).isEqualTo(3);
        assertThat(dev.read(b)).isEqualTo(2);
    }

    @Test
    void closeWakesBlockedReader() throws Exception {
        var dev = new MemoryPacketDevice("t0", 1500);
        var result = new int[] {0};
        Thread reader = Thread.ofPlatform().start(() -> result[0] = dev.read(buffers(1, 1500)));
        Thread.sleep(50);
        dev.close();
        reader.join(2000);
        assertThat(reader.isAlive()).isFalse();
        assertThat(result[0]).isEqualTo(-1);
    }

    @Test
    void oversizeWritesAreDroppedAndCounted() throws Exception {
        var dev = new MemoryPacketDevice("t0", 100, 2);
        dev.write(new ByteBuffer[] {ByteBuffer.wrap(new byte[101]), ByteBuffer.wrap(new byte[10])}, 2);
        assertThat(dev.dropped()).isEqualTo(1);
        assertThat(dev.awaitSent(1, TimeUnit.SECONDS)).hasSize(10);
    }
}
