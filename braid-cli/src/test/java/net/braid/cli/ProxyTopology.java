package net.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.braid.testbed.Host;
import net.braid.testbed.Link;
import net.braid.testbed.Testbed;

/**
 * The MASQUE tests' three namespaces: client — proxy — server on 198.18.x, with no route and no
 * forwarding between client and server, so whatever reaches the server came through the proxy.
 */
record ProxyTopology(Host client, Host proxy, Host server, Link near, Link far) {
    private static final Pattern DROPPED = Pattern.compile("counter packets (\\d+)");

    static ProxyTopology create(Testbed bed) {
        Host client = bed.host("client");
        Host proxy = bed.host("proxy");
        Host server = bed.host("server");
        ProxyTopology t = new ProxyTopology(client, proxy, server, bed.link(client, proxy), bed.link(proxy, server));
        assertThat(client.exec("ping", "-c", "1", "-W", "1", t.serverAddress().getHostAddress()).exitCode())
                .as("client cannot reach the server directly").isNotZero();
        return t;
    }

    /** The proxy's address on the client's link. */
    InetAddress proxyAddress() {
        return near.v4(proxy);
    }

    InetAddress serverAddress() {
        return far.v4(server);
    }

    /** A network that blocks QUIC: UDP to {@code port} dropped (and counted) inside the proxy's namespace only. */
    void blockUdpTo(int port) {
        proxy.run("nft", "add", "table", "inet", "blockudp");
        proxy.run("nft", "add", "chain", "inet", "blockudp", "in", "{ type filter hook input priority 0; policy accept; }");
        proxy.run("nft", "add", "rule", "inet", "blockudp", "in", "udp", "dport", Integer.toString(port), "counter", "drop");
    }

    /** How many datagrams {@link #blockUdpTo} dropped. */
    long udpDropped() {
        Matcher m = DROPPED.matcher(proxy.run("nft", "list", "table", "inet", "blockudp").stdout());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
