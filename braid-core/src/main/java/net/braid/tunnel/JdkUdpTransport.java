package net.braid.tunnel;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/** A {@link UdpTransport} on a dual-stack JDK DatagramChannel: portable, one datagram per call. */
public final class JdkUdpTransport implements UdpTransport {
    private final DatagramChannel channel;
    private InetSocketAddress lastSource;
    private volatile boolean closed;

    private JdkUdpTransport(DatagramChannel channel) {
        this.channel = channel;
    }

    /** Binds listen ports by number and path sockets to a local address; interface names need braid-linux. */
    public static final UdpTransport.Binder BINDER = new UdpTransport.Binder() {
        @Override public UdpTransport bind(int port) throws IOException { return JdkUdpTransport.bind(port); }

        @Override public UdpTransport bindPath(net.braid.config.Bind local) throws IOException {
            return switch (local) {
                case null -> JdkUdpTransport.bind(0);
                case net.braid.config.Bind.Address a -> JdkUdpTransport.bind(new InetSocketAddress(a.address(), 0));
                case net.braid.config.Bind.Device d ->
                        throw new IOException("binding a path to interface " + d + " needs the Linux transport");
            };
        }
    };

    public static JdkUdpTransport bind(int port) throws IOException {
        return bind(new InetSocketAddress(port));
    }

    private static JdkUdpTransport bind(InetSocketAddress local) throws IOException {
        int port = local.getPort();
        DatagramChannel ch;
        try {
            ch = DatagramChannel.open(StandardProtocolFamily.INET6);
        } catch (UnsupportedOperationException | IOException e) {
            ch = DatagramChannel.open(StandardProtocolFamily.INET);
        }
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            ch.bind(local);
        } catch (BindException e) {
            ch.close();
            throw new BindException("UDP port " + port + " is already in use");
        }
        return new JdkUdpTransport(ch);
    }

    @Override
    public boolean wantsDirectBuffers() { return false; }

    @Override
    public int receive(ByteBuffer[] packets) throws IOException {
        ByteBuffer b = packets[0];
        b.clear();
        try {
            lastSource = (InetSocketAddress) channel.receive(b);
        } catch (ClosedChannelException e) {
            return -1;
        } catch (IOException e) {
            if (closed) return -1;
            throw e;
        }
        b.flip();
        return 1;
    }

    @Override
    public InetSocketAddress source(int i) {
        return lastSource;
    }

    @Override
    public int send(ByteBuffer[] packets, int count, InetSocketAddress to) throws IOException {
        int sent = 0;
        for (int i = 0; i < count; i++) {
            try {
                channel.send(packets[i], to);
                sent++;
            } catch (ClosedChannelException e) {
                return sent;
            } catch (IOException e) {
                // unreachable or refused: that datagram is lost, the rest still go
            }
        }
        return sent;
    }

    @Override
    public int localPort() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
