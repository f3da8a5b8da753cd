package net.braid.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import net.braid.masque.codec.UriTemplate;
import net.braid.masque.h3.H3Options;
import net.braid.masque.h3.ServerTrust;
import net.braid.masque.udp.MasqueClient;
import net.braid.masque.udp.ProxyEndpoint;

/**
 * The library client where UDP to the proxy is blocked:
 * {@code MasqueH2Probe PROXY PORT PIN TOKEN TARGET UDPPORT TCPPORT COUNT}. Tries HTTP/3 first
 * (prints {@code h3 failed: ...}), then over HTTP/2 sends COUNT payloads through CONNECT-UDP to a
 * UDP echo and 1 MiB through CONNECT to a TCP echo with half-close; prints {@code echoed N of
 * COUNT} and {@code tcp echoed N bytes}; exit 0 when everything came back.
 */
public final class MasqueH2Probe {
    private MasqueH2Probe() {}

    public static void main(String[] args) throws Exception {
        var proxy = new InetSocketAddress(InetAddress.ofLiteral(args[0]), Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[7]);
        var endpoint = new ProxyEndpoint(proxy, args[0], ServerTrust.PinnedKeys.of(args[2]), args[3],
                UriTemplate.parse(UriTemplate.CONNECT_UDP_DEFAULT_PATH), H3Options.defaults(), Duration.ofSeconds(5));
        try (var h3 = MasqueClient.connect(endpoint)) {
            System.out.println("h3 connected (UDP not blocked?)");
        } catch (IOException e) {
            System.out.println("h3 failed: " + e.getMessage());
        }
        int echoed = 0;
        boolean tcpOk;
        try (var client = MasqueClient.connectHttp2(endpoint)) {
            try (var tunnel = client.openUdp(args[4], Integer.parseInt(args[5]))) {
                for (int i = 0; i < count; i++) {
                    byte[] payload = ("probe " + i).getBytes(StandardCharsets.US_ASCII);
                    tunnel.send(ByteBuffer.wrap(payload));
                    byte[] reply = tunnel.receive(Duration.ofSeconds(5));
                    while (reply != null && !Arrays.equals(reply, payload)) reply = tunnel.receive(Duration.ofMillis(500));
                    if (reply != null) echoed++;
                }
                System.out.println("echoed " + echoed + " of " + count + (tunnel.usesQuicDatagrams() ? " (QUIC datagrams)" : " (capsules)"));
            }
            byte[] data = new byte[1 << 20];
            new Random(7).nextBytes(data);
            try (var tcp = client.openTcp(args[4], Integer.parseInt(args[6]))) {
                byte[][] got = new byte[1][];
                Thread reader = Thread.ofVirtual().start(() -> {
                    try (InputStream in = tcp.input()) {
                        got[0] = in.readAllBytes();
                    } catch (IOException e) {
                        System.out.println("tcp read failed: " + e.getMessage());
                    }
                });
                tcp.output().write(data);
                tcp.output().close();
                reader.join(Duration.ofSeconds(30));
                tcpOk = got[0] != null && Arrays.equals(got[0], data);
                System.out.println("tcp echoed " + (got[0] == null ? 0 : got[0].length) + " bytes" + (tcpOk ? "" : " (mismatch)"));
            }
        }
        System.out.flush();
        System.exit(echoed == count && tcpOk ? 0 : 1);
    }
}
