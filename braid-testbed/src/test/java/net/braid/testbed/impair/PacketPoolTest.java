package net.braid.testbed.impair;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PacketPoolTest {

    @Test
    void storesCopiesUntilFullAndReusesReleasedSlots() {
        PacketPool pool = new PacketPool(2, 8);
        ByteBuffer source = ByteBuffer.wrap(new byte[] {9, 1, 2, 3});
        source.position(1);
        int a = pool.store(source);
        assertThat(source.position()).isEqualTo(1);
        int b = pool.store(ByteBuffer.wrap(new byte[] {4, 5}));
        assertThat(pool.store(ByteBuffer.wrap(new byte[] {6}))).isEqualTo(-1);
        source.put(1, (byte) 99); // the pool holds a copy
        ByteBuffer first = pool.datagram(a);
        assertThat(first.remaining()).isEqualTo(3);
        assertThat(first.get(0)).isEqualTo((byte) 1);
        assertThat(pool.datagram(b).remaining()).isEqualTo(2);
        pool.release(a);
        assertThat(pool.available()).isEqualTo(1);
        assertThat(pool.store(ByteBuffer.wrap(new byte[] {7}))).isEqualTo(a);
    }
}
