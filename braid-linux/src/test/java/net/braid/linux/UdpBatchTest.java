package net.braid.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Loopback only; needs no privileges. */
class UdpBatchTest {
    private static ByteBuffer[] buffers(int n, int size) {
        ByteBuffer[] b = new ByteBuffer[n];
        for (int i = 0; i < n; i++) b[i] = ByteBuffer.allocateDirect(size);
        return b;
    }

    private static ByteBuffer datagram(int i) {
        ByteBuffer b = ByteBuffer.allocateDirect(100 + i);
        for (int k = 0; k < 100 + i; k++) b.put((byte) (i + k));
        return b.flip();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void aBatchCrossesLoopbackInOrderWithItsSource(String loopback) throws Exception {
        InetAddress lo = InetAddress.getByName(loopback);
        try (UdpBatch a = UdpBatch.bind(new InetSocketAddress(lo, 0), 8);
                UdpBatch b = UdpBatch.bind(new InetSocketAddress(lo, 0), 8)) {
            ByteBuffer[] out = new ByteBuffer[20];
            for (int i = 0; i < out.length; i++) out[i] = datagram(i);

            assertThat(a.send(out, out.length, b.localAddress())).isEqualTo(20); // three sendmmsg calls
            assertThat(out[3].position()).isZero();

            ByteBuffer[] in = buffers(8, 2048);
            List<Integer> lengths = new ArrayList<>();
            while (lengths.size() < 20) {
                int n = b.receive(in);
                assertThat(n).isBetween(1, 8);
                for (int i = 0; i < n; i++) {
                    int index = lengths.size();
                    assertThat(in[i]).isEqualTo(out[index]);
                    assertThat(b.source(i)).isEqualTo(a.localAddress());
                    lengths.add(in[i].remaining());
                }
            }
            assertThat(lengths).first().isEqualTo(100);
            assertThat(a.datagramsSent()).isEqualTo(20);
            assertThat(b.datagramsReceived()).isEqualTo(20);
        }
    }

    @Test
    void interoperatesWithTheJdkSocketsAndV4MappedPeers() throws Exception {
        try (UdpBatch batch = UdpBatch.bind(new InetSocketAddress(InetAddress.getByName("::"), 0), 4);
                DatagramChannel jdk = DatagramChannel.open()) {
            jdk.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            var to = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), batch.localAddress().getPort());
            jdk.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), to);

            ByteBuffer[] in = buffers(4, 64);
            assertThat(batch.receive(in)).isEqualTo(1);
            assertThat(in[0].remaining()).isEqualTo(3);
            assertThat(batch.source(0)).isEqualTo(jdk.getLocalAddress()); // ::ffff:127.0.0.1 comes back as IPv4

            ByteBuffer reply = ByteBuffer.allocateDirect(2).put((byte) 9).put((byte) 8).flip();
            batch.send(new ByteBuffer[] {reply}, 1, (InetSocketAddress) jdk.getLocalAddress());
            ByteBuffer got = ByteBuffer.allocate(16);
            jdk.receive(got);
            assertThat(got.flip()).isEqualTo(ByteBuffer.wrap(new byte[] {9, 8}));
        }
    }

    @Test
    void aDatagramLongerThanItsBufferIsCutAndCounted() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (UdpBatch a = UdpBatch.bind(new InetSocketAddress(lo, 0), 2);
                UdpBatch b = UdpBatch.bind(new InetSocketAddress(lo, 0), 2)) {
            a.send(new ByteBuffer[] {datagram(50)}, 1, b.localAddress());
            ByteBuffer[] in = buffers(2, 100);
            assertThat(b.receive(in)).isEqualTo(1);
            assertThat(in[0].remaining()).isEqualTo(100);
            assertThat(b.truncatedReceives()).isEqualTo(1);
        }
    }

    @Test
    void anOversizedDatagramIsDroppedAndTheRestSent() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (UdpBatch a = UdpBatch.bind(new InetSocketAddress(lo, 0), 4);
                UdpBatch b = UdpBatch.bind(new InetSocketAddress(lo, 0), 4)) {
            ByteBuffer huge = ByteBuffer.allocateDirect(70_000); // > 65507: EMSGSIZE
            int sent = a.send(new ByteBuffer[] {datagram(1), huge, datagram(2)}, 3, b.localAddress());
            assertThat(sent).isEqualTo(2);
            assertThat(a.droppedSends()).isEqualTo(1);
            ByteBuffer[] in = buffers(4, 2048);
            int got = 0;
            while (got < 2) got += b.receive(in);
            assertThat(got).isEqualTo(2);
        }
    }

    @Test
    void closeWakesABlockedReceiver() throws Exception {
        UdpBatch socket = UdpBatch.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 4);
        AtomicInteger result = new AtomicInteger();
        Thread receiver = Thread.ofPlatform().start(() -> {
            try {
                result.set(socket.receive(buffers(4, 64)));
            } catch (Exception e) {
                result.set(-100);
            }
        });
        Thread.sleep(200);
        long start = System.nanoTime();
        socket.close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
        receiver.join(2000);
        assertThat(receiver.isAlive()).isFalse();
        assertThat(result.get()).isEqualTo(-1);
        assertThat(socket.receive(buffers(1, 64))).isEqualTo(-1);
        socket.close();
    }

    @Test
    void heapBuffersAreRefused() throws Exception {
        try (UdpBatch s = UdpBatch.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 1)) {
            assertThatThrownBy(() -> s.send(new ByteBuffer[] {ByteBuffer.allocate(4)}, 1, s.localAddress()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("direct");
        }
    }
}
