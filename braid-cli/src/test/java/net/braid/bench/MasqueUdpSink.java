package net.braid.bench;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

/**
 * A UDP sink for {@code bench/masque}: {@code MasqueUdpSink ADDRESS PORT}, runs until killed. Counts
 * what arrives and, after each burst (one second without a datagram), prints
 * {@code burst datagrams=N bytes=B seconds=S}, S running from the first datagram to the last.
 */
public final class MasqueUdpSink {
    private MasqueUdpSink() {}

    public static void main(String[] args) throws Exception {
        try (var socket = new DatagramSocket(null)) {
            socket.setReceiveBufferSize(4 << 20);
            socket.bind(new InetSocketAddress(InetAddress.ofLiteral(args[0]), Integer.parseInt(args[1])));
            socket.setSoTimeout(1000);
            System.out.println("sink on " + socket.getLocalSocketAddress());
            System.out.flush();
            var packet = new DatagramPacket(new byte[65536], 65536);
            long datagrams = 0;
            long bytes = 0;
            long first = 0;
            long last = 0;
            while (true) {
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException idle) {
                    if (datagrams > 0) {
                        System.out.printf("burst datagrams=%d bytes=%d seconds=%.6f%n", datagrams, bytes, (last - first) / 1e9);
                        System.out.flush();
                        datagrams = 0;
                        bytes = 0;
                    }
                    continue;
                }
                last = System.nanoTime();
                if (datagrams == 0) first = last;
                datagrams++;
                bytes += packet.getLength();
            }
        }
    }
}
