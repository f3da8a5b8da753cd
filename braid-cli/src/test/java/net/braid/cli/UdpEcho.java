package net.braid.cli;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** A UDP echo server for namespace tests: {@code UdpEcho ADDRESS PORT}, runs until killed. */
public final class UdpEcho {
    private UdpEcho() {}

    public static void main(String[] args) throws Exception {
        try (var socket = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral(args[0]), Integer.parseInt(args[1])))) {
            System.out.println("echoing on " + socket.getLocalSocketAddress());
            System.out.flush();
            byte[] buf = new byte[65535];
            while (true) {
                var packet = new DatagramPacket(buf, buf.length);
                socket.receive(packet);
                socket.send(new DatagramPacket(buf, packet.getLength(), packet.getSocketAddress()));
            }
        }
    }
}
