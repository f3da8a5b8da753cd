package net.braid.masque.udp;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import net.braid.masque.h3.MasqueStream;
import net.braid.masque.h3.StreamListener;

/**
 * The client's end of one CONNECT tunnel (RFC 9114 §4.4) as blocking streams: {@link #input()}
 * reads what the target sent and ends (-1) at its FIN; {@link #output()} writes to it and, once
 * closed, sends FIN while input goes on (half-close). A target reset or error surfaces as an
 * IOException from either.
 *
 * <p>Back-pressure both ways: {@code write} blocks while too much is queued for the stream, and the
 * stream stops being read (so QUIC flow control holds the proxy back) while too much waits unread.
 * Call the blocking methods from application threads, never from a Netty event loop.
 */
public final class TcpTunnel implements AutoCloseable {
    private static final int READ_HIGH_WATER = 512 * 1024;
    private static final int READ_LOW_WATER = 128 * 1024;
    private static final int WRITE_HIGH_WATER = 512 * 1024;
    private static final int WRITE_CHUNK = 16 * 1024;

    private final MasqueStream stream;
    private final String target;
    private final ReentrantLock lock;
    private final Condition readable;
    private final Condition drained;
    private final ArrayDeque<byte[]> received;
    private final Input input = new Input();
    private final Output output = new Output();
    private int unreadBytes;
    private boolean readPaused;
    private boolean inputEnded;
    private long unsentBytes;
    private boolean outputClosed;
    private IOException failure;

    private TcpTunnel(MasqueStream stream, String target, Listener listener) {
        this.stream = stream;
        this.target = target;
        this.lock = listener.lock;
        this.readable = listener.readable;
        this.drained = lock.newCondition();
        this.received = listener.received;
        this.unreadBytes = listener.unreadBytes;
        this.inputEnded = listener.inputEnded;
        this.failure = listener.failure;
    }

    static Listener listener(String target) {
        return new Listener(target);
    }

    /**
     * Collects the stream's bytes from the start, so nothing sent right after the 200 is lost
     * before the tunnel exists; the tunnel then shares its lock and buffers.
     */
    static final class Listener implements StreamListener {
        private final String target;
        final ReentrantLock lock = new ReentrantLock();
        final Condition readable = lock.newCondition();
        final ArrayDeque<byte[]> received = new ArrayDeque<>();
        int unreadBytes;
        boolean inputEnded;
        IOException failure;
        private volatile TcpTunnel tunnel;

        private Listener(String target) {
            this.target = target;
        }

        TcpTunnel bind(MasqueStream stream) {
            lock.lock();
            try {
                tunnel = new TcpTunnel(stream, target, this);
                return tunnel;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onData(MasqueStream stream, ByteBuf data) {
            byte[] bytes = new byte[data.readableBytes()];
            data.readBytes(bytes);
            lock.lock();
            try {
                TcpTunnel t = tunnel;
                if (t == null) {
                    received.add(bytes);
                    unreadBytes += bytes.length;
                    return;
                }
                t.received.add(bytes);
                t.unreadBytes += bytes.length;
                if (t.unreadBytes >= READ_HIGH_WATER && !t.readPaused) {
                    t.readPaused = true;
                    stream.readPaused(true);
                }
                readable.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onInputClosed(MasqueStream stream) {
            ended(null);
        }

        @Override
        public void onReset(MasqueStream stream, long errorCode) {
            ended(new IOException("CONNECT tunnel to " + target + " reset by the proxy (error 0x"
                    + Long.toHexString(errorCode) + ")"));
            stream.close();
        }

        @Override
        public void onClosed(MasqueStream stream) {
            ended(new IOException("CONNECT tunnel to " + target + " closed"));
        }

        private void ended(IOException error) {
            lock.lock();
            try {
                TcpTunnel t = tunnel;
                // The first end wins: a FIN makes the later close of the stream a clean end of input.
                if (t == null) {
                    if (!inputEnded) {
                        inputEnded = true;
                        failure = error;
                    }
                    return;
                }
                if (!t.inputEnded) {
                    t.inputEnded = true;
                    t.failure = error;
                }
                readable.signalAll();
                t.drained.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Bytes from the target; -1 after its FIN. */
    public InputStream input() {
        return input;
    }

    /** Bytes to the target; {@code close()} sends FIN (half-close), the input stays open. */
    public OutputStream output() {
        return output;
    }

    public String target() {
        return target;
    }

    /** Sends FIN after everything written: the target reads end of file, and may still answer. */
    public void shutdownOutput() throws IOException {
        output.close();
    }

    /** Closes both ways at once; unread input is discarded, unsent output may be lost. */
    @Override
    public void close() {
        lock.lock();
        try {
            outputClosed = true;
            inputEnded = true;
            received.clear();
            readable.signalAll();
            drained.signalAll();
        } finally {
            lock.unlock();
        }
        stream.close();
    }

    private final class Input extends InputStream {
        private byte[] current;
        private int offset;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) return 0;
            lock.lock();
            try {
                while (current == null) {
                    current = received.poll();
                    offset = 0;
                    if (current != null) break;
                    if (inputEnded) {
                        if (failure != null) throw failure;
                        return -1;
                    }
                    readable.awaitUninterruptibly();
                }
                int n = Math.min(len, current.length - offset);
                System.arraycopy(current, offset, b, off, n);
                offset += n;
                if (offset == current.length) current = null;
                unreadBytes -= n;
                if (readPaused && unreadBytes <= READ_LOW_WATER) {
                    readPaused = false;
                    stream.readPaused(false);
                }
                return n;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int available() {
            lock.lock();
            try {
                return unreadBytes;
            } finally {
                lock.unlock();
            }
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            while (len > 0) {
                int n = Math.min(len, WRITE_CHUNK);
                awaitRoom(n);
                ByteBuf chunk = stream.alloc().directBuffer(n).writeBytes(b, off, n);
                stream.write(chunk).addListener(f -> written(n, f.cause()));
                off += n;
                len -= n;
            }
        }

        private void awaitRoom(int n) throws IOException {
            lock.lock();
            try {
                while (true) {
                    if (outputClosed) throw new IOException("output to " + target + " is closed");
                    if (failure != null) throw failure;
                    if (unsentBytes < WRITE_HIGH_WATER) break;
                    try {
                        drained.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while writing to " + target);
                    }
                }
                unsentBytes += n;
            } finally {
                lock.unlock();
            }
        }

        private void written(int n, Throwable cause) {
            lock.lock();
            try {
                unsentBytes -= n;
                if (cause != null && failure == null) {
                    failure = new IOException("write to " + target + " failed: " + cause.getMessage(), cause);
                }
                drained.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (outputClosed) return;
                outputClosed = true;
            } finally {
                lock.unlock();
            }
            stream.finish(); // queued behind every DATA frame written before
        }
    }
}
