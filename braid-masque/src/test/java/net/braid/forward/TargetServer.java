package net.braid.forward;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The target of the forward tests. Per connection it reads to end of input (hashing what came)
 * while it sends {@code sendBytes} of seeded random data; once both are done it sends the
 * SHA-256 of what it received and closes. The digest can only arrive after the client's FIN
 * reached the target, so a client that shut its output and still reads it proves half-close.
 */
final class TargetServer implements AutoCloseable {
    private final ServerSocket server;
    private final long sendBytes;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    TargetServer(long sendBytes) throws IOException {
        this.sendBytes = sendBytes;
        this.server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        threads.submit(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
    }

    private Void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                threads.submit(() -> serve(s));
            } catch (IOException closed) {
                return null;
            }
        }
        return null;
    }

    private Void serve(Socket s) throws Exception {
        try (s) {
            var received = threads.submit(() -> digestUntilEnd(s.getInputStream()));
            OutputStream out = s.getOutputStream();
            writeSeeded(out, sendBytes, seed(sendBytes));
            out.write(received.get());
            out.flush();
            s.shutdownOutput();
        }
        return null;
    }

    static long seed(long bytes) {
        return bytes * 31 + 7;
    }

    /** Writes {@code bytes} of random data from {@code seed}; returns their SHA-256. */
    static byte[] writeSeeded(OutputStream out, long bytes, long seed) throws IOException {
        MessageDigest sha = sha256();
        var random = new SplittableRandom(seed);
        byte[] chunk = new byte[64 * 1024];
        for (long left = bytes; left > 0; ) {
            int n = (int) Math.min(chunk.length, left);
            random.nextBytes(chunk);
            out.write(chunk, 0, n);
            sha.update(chunk, 0, n);
            left -= n;
        }
        out.flush();
        return sha.digest();
    }

    static byte[] digestUntilEnd(InputStream in) throws IOException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) >= 0; ) sha.update(buf, 0, n);
        return sha.digest();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
