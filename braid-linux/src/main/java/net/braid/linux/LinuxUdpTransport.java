package net.braid.linux;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import net.braid.config.Bind;
import net.braid.tunnel.UdpTransport;

/** The tunnel's UDP transport on Linux: batches through recvmmsg/sendmmsg, dual-stack. */
public final class LinuxUdpTransport implements UdpTransport {
    public static final int BATCH = 64;
    private final UdpBatch socket;

    private LinuxUdpTransport(UdpBatch socket) {
        this.socket = socket;
    }

    /** Binds listen sockets and per-path sockets (to a local address or, SO_BINDTODEVICE, an interface). */
    public static final UdpTransport.Binder BINDER = binder(0);

    /** As {@link #BINDER}, every socket marked with {@code mark} (SO_MARK) unless it is 0. */
    public static UdpTransport.Binder binder(long mark) {
        return new UdpTransport.Binder() {
            @Override public UdpTransport bind(int port) throws IOException { return LinuxUdpTransport.bind(port, mark); }

            @Override public UdpTransport bindPath(Bind local) throws IOException {
                return switch (local) {
                    case null -> LinuxUdpTransport.bind(0, mark);
                    case Bind.Address a -> {
                        try {
                            yield new LinuxUdpTransport(UdpBatch.bind(new InetSocketAddress(a.address(), 0), BATCH, null, mark));
                        } catch (ErrnoException e) {
                            if (e.errno() != ErrnoException.EADDRNOTAVAIL) throw e;
                            throw new IOException("path Bind " + a.address().getHostAddress() + " is not an address of any"
                                    + " interface here (gone with its link or lease?): " + e.getMessage(), e);
                        }
                    }
                    case Bind.Device d -> new LinuxUdpTransport(
                            UdpBatch.bind(new InetSocketAddress(InetAddress.getByName("::"), 0), BATCH, d.name(), mark));
                };
            }
        };
    }

    public static LinuxUdpTransport bind(int port) throws IOException {
        return bind(port, 0);
    }

    static LinuxUdpTransport bind(int port, long mark) throws IOException {
        try {
            return new LinuxUdpTransport(UdpBatch.bind(new InetSocketAddress(InetAddress.getByName("::"), port), BATCH, null, mark));
        } catch (ErrnoException e) {
            if (e.errno() == ErrnoException.EADDRINUSE) throw new BindException("UDP port " + port + " is already in use");
            if (e.errno() != ErrnoException.EAFNOSUPPORT) throw e;
            return new LinuxUdpTransport(UdpBatch.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port), BATCH, null, mark));
        }
    }

    @Override public boolean wantsDirectBuffers() { return true; }
    @Override public int receive(ByteBuffer[] packets) throws IOException { return socket.receive(packets); }
    @Override public InetSocketAddress source(int i) throws IOException { return socket.source(i); }
    @Override public int send(ByteBuffer[] packets, int count, InetSocketAddress to) throws IOException {
        return socket.send(packets, count, to);
    }
    @Override public int localPort() { return socket.localAddress().getPort(); }
    @Override public void close() { socket.close(); }
}
