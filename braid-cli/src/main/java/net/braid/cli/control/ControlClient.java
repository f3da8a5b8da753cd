package net.braid.cli.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Reads a running portal's status from its control socket. */
public final class ControlClient {
    private ControlClient() {}

    /** How long a portal may take to answer; a stuck one must not hang {@code braid show}. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    public static String fetch(Path socket) throws IOException {
        return fetch(socket, TIMEOUT);
    }

    static String fetch(Path socket, Duration timeout) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX); Selector selector = Selector.open()) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            long deadline = System.nanoTime() + timeout.toNanos();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            for (int n; (n = ch.read(buf)) >= 0; ) {
                if (n > 0) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("no complete answer on " + socket + " within " + timeout.toMillis() + " ms (is the process stuck?)");
                }
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                selector.selectedKeys().clear();
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    static boolean isLive(Path socket) {
        try {
            fetch(socket);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
