package net.braid.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.braid.linux.NetNamespace;

/**
 * One TCP connection from a namespace to another carrying seeded pseudo-random bytes at a paced
 * rate, with SHA-256 taken on both sides. Both sockets are made (and bound or connected) inside
 * their namespace on a thread that entered it; after that they work from any thread.
 */
final class DigestedTransfer implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;

    /** What each side saw: bytes and digest, sent and received, and how long the receiver took. */
    record Outcome(long sentBytes, String sentSha256, long receivedBytes, String receivedSha256, long millis) {
        boolean intact() {
            return sentBytes == receivedBytes && sentSha256.equals(receivedSha256);
        }
    }

    private final ServerSocket listener;
    private final Socket client;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

    private DigestedTransfer(ServerSocket listener, Socket client) {
        this.listener = listener;
        this.client = client;
    }

    /** Listens in {@code receiverNs} on {@code to}:{@code port} and connects from {@code senderNs}. */
    static DigestedTransfer connect(String senderNs, String receiverNs, InetAddress to, int port) throws Exception {
        ServerSocket listener = NetNamespace.run(receiverNs, () -> new ServerSocket(port, 1, to));
        try {
            Socket client = NetNamespace.run(senderNs, () -> {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(to, port), 10_000);
                return s;
            });
            return new DigestedTransfer(listener, client);
        } catch (Exception e) {
            listener.close();
            throw e;
        }
    }

    /**
     * Starts sending {@code bytes} at about {@code bitsPerSecond} and receiving them, each on a
     * platform thread of its own; the future completes when the receiver has read to the end.
     */
    CompletableFuture<Outcome> start(long bytes, long bitsPerSecond, long seed) {
        CompletableFuture<String[]> sent = new CompletableFuture<>();
        Thread.ofPlatform().name("digest-send").daemon().start(() -> {
            try {
                sent.complete(send(bytes, bitsPerSecond, seed));
            } catch (Throwable t) {
                sent.completeExceptionally(t);
                closeQuietly();
            }
        });
        Thread.ofPlatform().name("digest-receive").daemon().start(() -> {
            try {
                long start = System.nanoTime();
                String[] got = receive();
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                String[] out = sent.get(10, TimeUnit.SECONDS);
                outcome.complete(new Outcome(Long.parseLong(out[0]), out[1], Long.parseLong(got[0]), got[1], millis));
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            } finally {
                closeQuietly();
            }
        });
        return outcome;
    }

    private String[] send(long bytes, long bitsPerSecond, long seed) throws IOException {
        MessageDigest sha = sha256();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[CHUNK];
        long start = System.nanoTime();
        long written = 0;
        try (OutputStream out = client.getOutputStream()) {
            while (written < bytes) {
                int n = (int) Math.min(CHUNK, bytes - written);
                random.nextBytes(chunk);
                sha.update(chunk, 0, n);
                out.write(chunk, 0, n);
                written += n;
                long due = start + written * 8 * 1_000_000_000L / bitsPerSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
            }
            out.flush();
            client.shutdownOutput();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new String[] {Long.toString(written), HexFormat.of().formatHex(sha.digest())};
    }

    private String[] receive() throws IOException {
        MessageDigest sha = sha256();
        long total = 0;
        try (Socket s = listener.accept()) {
            s.setSoTimeout(30_000); // a stalled tunnel fails the test instead of hanging it
            InputStream in = s.getInputStream();
            byte[] buf = new byte[CHUNK];
            int n;
            while ((n = in.read(buf)) >= 0) {
                sha.update(buf, 0, n);
                total += n;
            }
        }
        return new String[] {Long.toString(total), HexFormat.of().formatHex(sha.digest())};
    }

    /** Closes both sockets, which ends a transfer still running. */
    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            client.close();
        } catch (IOException ignored) {
            // closing after a failure
        }
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing after a failure
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
