package net.braid.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import net.braid.masque.h3.SendOutcome;
import net.braid.masque.h3.ServerTrust;
import net.braid.masque.udp.MasqueClient;
import net.braid.masque.udp.ProxyEndpoint;
import net.braid.masque.udp.UdpTunnel;

/**
 * The UDP sender of {@code bench/masque}, run in the client namespace, straight to the target or
 * through the proxy's CONNECT-UDP with the library client ({@link MasqueClient}):
 * <pre>
 * MasqueUdpLoad --via direct|masque --target IP:PORT [--proxy IP:PORT --pin PIN --token TOKEN]
 *               (--size N --rate BITS_PER_SECOND --seconds S | --echo SIZE,SIZE,... --count N)
 * </pre>
 * Load mode sends payloads of N bytes for S seconds, paced to the rate (0: as fast as the path
 * takes them), and prints {@code sent datagrams=… bytes=… refused=… seconds=…}. Echo mode sends
 * COUNT payloads of each size to a UDP echo, one at a time, and prints {@code echoed N of M}: the
 * traffic the overhead capture looks at.
 */
public final class MasqueUdpLoad {
    private static final long SLICE_NANOS = 200_000;

    private MasqueUdpLoad() {}

    /** Where payloads go: a connected socket, or a CONNECT-UDP session. */
    private interface Sender extends AutoCloseable {
        /** @return false when the payload was refused (dropped) */
        boolean send(ByteBuffer payload) throws IOException;

        /** The next payload that came back, or null after {@code timeout}. */
        byte[] receive(Duration timeout) throws IOException, InterruptedException;

        @Override
        void close() throws IOException;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = BenchArgs.parse(args, Set.of("--via", "--target", "--proxy", "--pin", "--token",
                "--size", "--rate", "--seconds", "--echo", "--count"));
        InetSocketAddress target = address(o.get("--target"));
        try (Sender sender = switch (o.getOrDefault("--via", "")) {
            case "direct" -> direct(target);
            case "masque" -> masque(address(o.get("--proxy")), o.get("--pin"), o.get("--token"), target);
            default -> throw new IllegalArgumentException("--via direct|masque");
        }) {
            if (o.containsKey("--echo")) {
                echo(sender, Arrays.stream(o.get("--echo").split(",")).map(Integer::parseInt).toList(),
                        BenchArgs.whole(o, "--count", 1, 10));
            } else {
                load(sender, BenchArgs.whole(o, "--size", 1, 1200), Long.parseLong(o.getOrDefault("--rate", "0")),
                        BenchArgs.whole(o, "--seconds", 1, 5));
            }
        }
        System.out.flush();
        System.exit(0);
    }

    private static void load(Sender sender, int size, long bitsPerSecond, int seconds) throws IOException {
        ByteBuffer payload = ByteBuffer.allocateDirect(size);
        long gap = bitsPerSecond > 0 ? size * 8L * 1_000_000_000L / bitsPerSecond : 0;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long next = start;
        long sent = 0;
        long refused = 0;
        long now;
        while ((now = System.nanoTime()) < end) {
            if (gap == 0) {
                if (sender.send(payload)) {
                    sent++;
                } else {
                    // No pacing: the session's full queue is back-pressure, not loss.
                    LockSupport.parkNanos(20_000);
                }
                continue;
            }
            if (now < next) {
                LockSupport.parkNanos(Math.min(next - now, SLICE_NANOS));
                continue;
            }
            // Catch up after an oversleep, but never with more than a few milliseconds' burst.
            next = Math.max(next, now - 5_000_000L) + gap;
            if (sender.send(payload)) sent++;
            else refused++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("sent datagrams=%d bytes=%d refused=%d seconds=%.3f%n", sent, sent * size, refused, elapsed);
    }

    private static void echo(Sender sender, List<Integer> sizes, int count) throws IOException, InterruptedException {
        int echoed = 0;
        for (int size : sizes) {
            for (int i = 0; i < count; i++) {
                ByteBuffer payload = ByteBuffer.allocate(size);
                payload.putInt(0, size).putInt(4, i);
                sender.send(payload);
                byte[] reply = sender.receive(Duration.ofSeconds(1));
                if (reply != null && reply.length == size) echoed++;
                Thread.sleep(20);
            }
        }
        System.out.printf("echoed %d of %d%n", echoed, sizes.size() * count);
    }

    private static Sender direct(InetSocketAddress target) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        channel.connect(target);
        return new Sender() {
            @Override
            public boolean send(ByteBuffer payload) throws IOException {
                return channel.send(payload.duplicate(), target) > 0;
            }

            @Override
            public byte[] receive(Duration timeout) throws IOException {
                channel.socket().setSoTimeout((int) timeout.toMillis());
                try {
                    var packet = new java.net.DatagramPacket(new byte[65536], 65536);
                    channel.socket().receive(packet);
                    return Arrays.copyOf(packet.getData(), packet.getLength());
                } catch (java.net.SocketTimeoutException e) {
                    return null;
                }
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    private static Sender masque(InetSocketAddress proxy, String pin, String token, InetSocketAddress target) throws IOException {
        var endpoint = ProxyEndpoint.of(proxy, proxy.getAddress().getHostAddress(), ServerTrust.PinnedKeys.of(pin), token);
        MasqueClient client = MasqueClient.connect(endpoint);
        UdpTunnel tunnel;
        try {
            tunnel = client.openUdp(target.getAddress().getHostAddress(), target.getPort());
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
        if (!tunnel.usesQuicDatagrams()) System.err.println("MasqueUdpLoad: the proxy did not negotiate QUIC datagrams; capsules on the stream");
        return new Sender() {
            @Override
            public boolean send(ByteBuffer payload) {
                return tunnel.send(payload) == SendOutcome.SENT;
            }

            @Override
            public byte[] receive(Duration timeout) throws IOException, InterruptedException {
                return tunnel.receive(timeout);
            }

            @Override
            public void close() {
                System.err.printf("MasqueUdpLoad: session refused %d, dropped %d received%n", tunnel.sendRefused(), tunnel.receiveDropped());
                tunnel.close();
                client.close();
            }
        };
    }

    private static InetSocketAddress address(String hostPort) {
        if (hostPort == null) throw new IllegalArgumentException("missing address");
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(InetAddress.ofLiteral(hostPort.substring(0, colon)), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
