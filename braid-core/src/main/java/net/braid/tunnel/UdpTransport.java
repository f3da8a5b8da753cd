package net.braid.tunnel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The UDP socket of a path, moving datagrams in batches: Linux uses recvmmsg/sendmmsg
 * (braid-linux), elsewhere one JDK DatagramChannel call per datagram ({@link JdkUdpTransport}).
 * One thread receives while others send.
 */
public interface UdpTransport extends AutoCloseable {

    /** Opens a transport on a local port (0: any); a port in use is reported by number. */
    @FunctionalInterface
    interface Binder {
        UdpTransport bind(int port) throws IOException;

        /**
         * Opens a path's own socket on an ephemeral port, bound to a local address or interface
         * (null: any). Transports that cannot bind so refuse with an IOException naming why.
         */
        default UdpTransport bindPath(net.braid.config.Bind local) throws IOException {
            if (local == null) return bind(0);
            throw new IOException("this UDP transport cannot bind a path to " + local);
        }
    }

    /** Whether buffers handed to this transport must be direct (else heap). */
    boolean wantsDirectBuffers();

    /**
     * Receives at least one and at most {@code packets.length} datagrams, each into its buffer
     * from position 0 to its limit.
     *
     * @return how many, or -1 once closed
     */
    int receive(ByteBuffer[] packets) throws IOException;

    /** Where datagram {@code i} of the last receive came from. */
    InetSocketAddress source(int i) throws IOException;

    /**
     * Sends {@code count} datagrams, each from position to limit, to one destination. What the
     * kernel refuses is dropped and counted by the transport, not thrown.
     */
    int send(ByteBuffer[] packets, int count, InetSocketAddress to) throws IOException;

    int localPort();

    /** Wakes a blocked receiver, which then returns -1. Never blocks. */
    @Override
    void close();
}
