package net.braid.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import net.braid.masque.h3.ServerTrust;
import net.braid.masque.udp.MasqueClient;
import net.braid.masque.udp.ProxyEndpoint;

/**
 * The library's CONNECT-UDP client in a namespace test:
 * {@code MasqueUdpProbe PROXY PORT PIN TOKEN TARGET TARGETPORT COUNT}. Sends COUNT numbered
 * payloads through the proxy to an echo and prints {@code echoed N of COUNT} for the replies that
 * came back with the same bytes; exit 0 when all did.
 */
public final class MasqueUdpProbe {
    private MasqueUdpProbe() {}

    public static void main(String[] args) throws Exception {
        var proxy = new InetSocketAddress(InetAddress.ofLiteral(args[0]), Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[6]);
        var endpoint = ProxyEndpoint.of(proxy, args[0], ServerTrust.PinnedKeys.of(args[2]), args[3]);
        int echoed = 0;
        try (var client = MasqueClient.connect(endpoint); var tunnel = client.openUdp(args[4], Integer.parseInt(args[5]))) {
            for (int i = 0; i < count; i++) {
                byte[] payload = ("probe " + i).getBytes(StandardCharsets.US_ASCII);
                // UDP may lose a datagram even on a veth; a few tries each keep the test about the proxy.
                for (int attempt = 0; attempt < 5; attempt++) {
                    tunnel.send(ByteBuffer.wrap(payload));
                    byte[] reply = tunnel.receive(Duration.ofSeconds(2));
                    while (reply != null && !Arrays.equals(reply, payload)) reply = tunnel.receive(Duration.ofMillis(200));
                    if (reply != null) {
                        echoed++;
                        break;
                    }
                }
            }
            System.out.println("echoed " + echoed + " of " + count + (tunnel.usesQuicDatagrams() ? " (QUIC datagrams)" : " (capsules)"));
        }
        System.out.flush();
        System.exit(echoed == count ? 0 : 1);
    }
}
