package net.braid.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A TCP echo server for namespace tests: {@code TcpEcho ADDRESS PORT}; echoes until the peer's FIN, then FIN. */
public final class TcpEcho {
    private TcpEcho() {}

    public static void main(String[] args) throws Exception {
        try (var server = new ServerSocket(Integer.parseInt(args[1]), 50, InetAddress.ofLiteral(args[0]))) {
            System.out.println("echoing on " + server.getLocalSocketAddress());
            System.out.flush();
            while (true) {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> echo(s));
            }
        }
    }

    private static void echo(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[32 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
            s.shutdownOutput();
        } catch (IOException e) {
            // the probe reports what it did not get back
        }
    }
}
