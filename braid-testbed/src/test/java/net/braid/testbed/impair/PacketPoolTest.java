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

    @Test
    void aReusedSlotTakesALongerDatagramThanItHeldBefore() {
        PacketPool pool = new PacketPool(1, 64);
        int slot = pool.store(ByteBuffer.wrap(new byte[36]));
        assertThat(pool.datagram(slot).remaining()).isEqualTo(36); // as the sender reads it before sending
        pool.release(slot);
        byte[] longer = new byte[48];
        for (int i = 0; i < longer.length; i++) longer[i] = (byte) (i + 1);
        assertThat(pool.store(ByteBuffer.wrap(longer))).isEqualTo(slot);
        ByteBuffer held = pool.datagram(slot);
        assertThat(held.remaining()).isEqualTo(48);
        byte[] copy = new byte[48];
        held.get(0, copy);
        assertThat(copy).isEqualTo(longer);
        pool.release(slot);
        assertThat(pool.store(ByteBuffer.wrap(new byte[64]))).as("a full-size datagram after a short one").isEqualTo(slot);
        assertThat(pool.datagram(slot).remaining()).isEqualTo(64);
    }
}
