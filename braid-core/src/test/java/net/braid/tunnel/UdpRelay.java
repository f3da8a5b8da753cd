package net.braid.tunnel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback relay between portal A (which sends to {@link #port()}) and portal B: it can move
 * its B-facing socket to a new port (A appears to roam) and keeps the last data packet A sent,
 * so a test can replay it. It can be cut (drops everything, both ways) and restored, and counts
 * the data messages with a payload it forwarded from A (keepalives, probes and feedback aside).
 */
final class UdpRelay implements AutoCloseable {
    private final DatagramChannel towardA;
    private final InetSocketAddress b;
    private final AtomicReference<DatagramChannel> towardB = new AtomicReference<>();
    private final AtomicReference<byte[]> lastData = new AtomicReference<>();
    private volatile SocketAddress a;
    private volatile boolean closed;
    private volatile boolean cut;
    /** A→B datagrams per second at most (0: unlimited): the relay then acts as a bottleneck link. */
    private volatile long perSecond;
    private long nextSlot;
    private final java.util.concurrent.atomic.AtomicLong dataFromA = new java.util.concurrent.atomic.AtomicLong();

    UdpRelay(int bPort) throws IOException {
        towardA = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        b = new InetSocketAddress(InetAddress.getLoopbackAddress(), bPort);
        rebind();
        Thread.ofPlatform().daemon().start(this::forwardAtoB);
    }

    int port() throws IOException {
        return ((InetSocketAddress) towardA.getLocalAddress()).getPort();
    }

    /** Moves the B-facing side to a fresh socket: B sees A's packets from a new port. */
    void rebind() throws IOException {
        DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        DatagramChannel old = towardB.getAndSet(ch);
        Thread.ofPlatform().daemon().start(() -> forwardBtoA(ch));
        if (old != null) old.close();
    }

    byte[] lastData() { return lastData.get(); }

    /** Drops every datagram both ways until {@link #restore}. */
    void cut() { cut = true; }

    void restore() { cut = false; }

    void limit(long datagramsPerSecond) { perSecond = datagramsPerSecond; }

    /** Data messages carrying a packet that went from A to B. */
    long dataFromA() { return dataFromA.get(); }

    /** Sends raw bytes to B as if they came from A. */
    void injectToB(byte[] datagram) throws IOException {
        towardB.get().send(ByteBuffer.wrap(datagram), b);
    }

    private void forwardAtoB() {
        ByteBuffer buf = ByteBuffer.allocate(65535);
        while (!closed) {
            try {
                buf.clear();
                a = towardA.receive(buf);
                buf.flip();
                if (cut) continue;
                long rate = perSecond;
                if (rate > 0) {
                    long now = System.nanoTime();
                    nextSlot = Math.max(nextSlot + 1_000_000_000L / rate, now);
                    if (nextSlot > now) java.util.concurrent.locks.LockSupport.parkNanos(nextSlot - now);
                }
                if (buf.get(0) == DataHeader.TYPE_DATA && buf.remaining() > DataHeader.OVERHEAD) dataFromA.incrementAndGet();
                if (buf.get(0) == DataHeader.TYPE_DATA && buf.remaining() > DataHeader.OVERHEAD + 20) {
                    byte[] copy = new byte[buf.remaining()];
                    buf.duplicate().get(copy);
                    lastData.set(copy);
                }
                towardB.get().send(buf, b);
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    private void forwardBtoA(DatagramChannel ch) {
        ByteBuffer buf = ByteBuffer.allocate(65535);
        while (!closed && ch.isOpen()) {
            try {
                buf.clear();
                ch.receive(buf);
                buf.flip();
                if (a != null && !cut) towardA.send(buf, a);
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        towardA.close();
        towardB.get().close();
    }
}
