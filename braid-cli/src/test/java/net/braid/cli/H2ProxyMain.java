package net.braid.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import net.braid.cli.proxy.ProxyServer;
import net.braid.cli.proxy.ProxySettings;
import net.braid.config.IpPrefix;

/**
 * A proxy with an HTTP/2 listener beside the HTTP/3 one, for namespace tests:
 * {@code H2ProxyMain ADDRESS PORT TOKEN ALLOWED}: HTTP/3 on UDP PORT, HTTP/2 on TCP PORT, a
 * self-signed certificate whose pin it prints; runs until killed.
 */
public final class H2ProxyMain {
    private H2ProxyMain() {}

    public static void main(String[] args) throws Exception {
        var address = new InetSocketAddress(InetAddress.ofLiteral(args[0]), Integer.parseInt(args[1]));
        var settings = new ProxySettings(address, null, Set.of(args[2]), List.of(IpPrefix.parse(args[3])), Duration.ofSeconds(30));
        try (var proxy = ProxyServer.start(settings, null, address)) {
            System.out.println("pin " + proxy.pin() + " listening on UDP " + proxy.localAddress() + " and TCP " + proxy.tcpAddress());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
