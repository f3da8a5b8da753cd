package net.braid.cli.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * The local control socket of a running portal, /run/braid/NAME.sock (mode 0600: only root
 * reads counters and peers). A client connects and receives the status as {@code key=value}
 * lines (format in {@link ControlStatus}); the server closes the connection after writing.
 */
public final class ControlServer implements AutoCloseable {
    public static final Path DEFAULT_DIR = Path.of("/run/braid");

    private final Path path;
    private final ServerSocketChannel server;
    private final Supplier<String> status;
    private volatile boolean closed;

    private ControlServer(Path path, ServerSocketChannel server, Supplier<String> status) {
        this.path = path;
        this.server = server;
        this.status = status;
    }

    public static Path socketPath(Path dir, String name) {
        return dir.resolve(name + ".sock");
    }

    /** Binds the socket (replacing a stale one of a crashed run) and serves on a virtual thread. */
    public static ControlServer start(Path dir, String name, Supplier<String> status) throws IOException {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path path = socketPath(dir, name);
        if (Files.exists(path)) {
            if (ControlClient.isLive(path)) {
                throw new IOException("another braid already runs interface " + name + " (control socket " + path + ")");
            }
            Files.delete(path);
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        ControlServer cs = new ControlServer(path, server, status);
        Thread.ofVirtual().name("braid-control").start(cs::serve);
        return cs;
    }

    public Path path() { return path; }

    private void serve() {
        while (!closed) {
            try (SocketChannel client = server.accept()) {
                ByteBuffer reply = ByteBuffer.wrap(status.get().getBytes(StandardCharsets.UTF_8));
                while (reply.hasRemaining()) client.write(reply);
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // best effort: a stale socket is replaced on the next start
        }
    }
}
