package net.braid.testbed.impair;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;

/**
 * The target of a relay under test, on loopback: records each datagram's sequence number (first 4
 * bytes), the sender's nanoTime stamp (next 8 bytes) and when it arrived.
 */
final class Sink implements AutoCloseable {
    private final DatagramChannel channel;
    private final Thread thread;
    private final int[] seq = new int[200_000];
    private final long[] sentAt = new long[200_000];
    private final long[] arrivedAt = new long[200_000];
    private volatile int count;

    Sink() throws IOException {
        channel = DatagramChannel.open();
        channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = Thread.ofPlatform().daemon().name("sink").start(this::run);
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
        while (true) {
            try {
                buffer.clear();
                channel.receive(buffer);
                long now = System.nanoTime();
                int n = count;
                seq[n] = buffer.getInt(0);
                sentAt[n] = buffer.getLong(4);
                arrivedAt[n] = now;
                count = n + 1;
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    int count() {
        return count;
    }

    int seq(int i) {
        return seq[i];
    }

    /** One-way time of datagram i, in nanoseconds. */
    long transit(int i) {
        return arrivedAt[i] - sentAt[i];
    }

    long arrivedAt(int i) {
        return arrivedAt[i];
    }

    /** Waits until {@code n} datagrams arrived, or the timeout passed; returns the count. */
    int await(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count < n && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return count;
    }

    /** Waits until nothing arrived for {@code quiet}; returns the count. */
    int settle(Duration quiet) throws InterruptedException {
        int last;
        do {
            last = count;
            Thread.sleep(quiet);
        } while (count != last);
        return count;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** A client socket sending numbered, time-stamped datagrams of {@code size} bytes. */
    static final class Sender implements AutoCloseable {
        private final DatagramChannel channel;
        private final ByteBuffer buffer;

        Sender(InetSocketAddress to, int size) throws IOException {
            channel = DatagramChannel.open();
            channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 4 << 20);
            channel.connect(to);
            buffer = ByteBuffer.allocateDirect(size);
        }

        void send(int seq) throws IOException {
            buffer.clear();
            buffer.putInt(0, seq).putLong(4, System.nanoTime());
            channel.write(buffer);
        }

        /** Sends seq 0..n-1, resting 1 ms after every {@code burst} so loopback buffers never overflow. */
        void sendPaced(int n, int burst) throws IOException, InterruptedException {
            for (int i = 0; i < n; i++) {
                send(i);
                if ((i + 1) % burst == 0) {
                    Thread.sleep(1);
                }
            }
        }

        DatagramChannel channel() {
            return channel;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
