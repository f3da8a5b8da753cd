package net.braid.testbed.impair;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Locale;

/**
 * A UDP echo server and a ping-like prober, to measure a path's round trip without ICMP (the
 * impairment relay carries UDP only). Runs in this JVM, or as a process in a test-bed namespace:
 *
 * <pre>
 * java ... UdpEcho serve 198.18.1.2:7001          # prints "echo listening on ..."
 * java ... UdpEcho probe 198.18.0.2:7000 10 50ms 1s  # prints "probe sent=10 received=10 min_ms=... avg_ms=... max_ms=..."
 * </pre>
 */
public final class UdpEcho implements AutoCloseable {
    private final DatagramChannel channel;
    private final Thread thread;

    private UdpEcho(DatagramChannel channel) {
        this.channel = channel;
        this.thread = Thread.ofPlatform().daemon().name("udp-echo").start(this::serve);
    }

    /** Echoes every datagram sent to {@code address} back to its sender, until closed. */
    public static UdpEcho start(InetSocketAddress address) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        channel.bind(address);
        return new UdpEcho(channel);
    }

    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void serve() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
        while (channel.isOpen()) {
            try {
                buffer.clear();
                SocketAddress from = channel.receive(buffer);
                buffer.flip();
                channel.send(buffer, from);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // e.g. the sender went away; keep serving the others
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
            thread.join();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Round trips of one probe run; the times are over the probes answered. */
    public record Probe(int sent, int received, double minMs, double avgMs, double maxMs) {
        public String format() {
            return String.format(Locale.ROOT, "probe sent=%d received=%d min_ms=%.3f avg_ms=%.3f max_ms=%.3f",
                    sent, received, minMs, avgMs, maxMs);
        }

        /** Reads the line {@link #format()} wrote (found anywhere in {@code output}). */
        public static Probe parse(String output) {
            String line = output.lines().filter(l -> l.startsWith("probe ")).reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalArgumentException("no probe line in: " + output));
            String[] w = line.split("\\s+");
            return new Probe(Integer.parseInt(value(w[1])), Integer.parseInt(value(w[2])),
                    Double.parseDouble(value(w[3])), Double.parseDouble(value(w[4])), Double.parseDouble(value(w[5])));
        }

        private static String value(String word) {
            return word.substring(word.indexOf('=') + 1);
        }
    }

    /**
     * Sends {@code count} probes to an echo at {@code to}, one at a time: each waits up to
     * {@code timeout} for its answer, then the next goes after {@code interval}.
     */
    public static Probe probe(InetSocketAddress to, int count, Duration interval, Duration timeout) throws IOException {
        byte[] out = new byte[64];
        byte[] in = new byte[64];
        int received = 0;
        double min = Double.MAX_VALUE;
        double max = 0;
        double sum = 0;
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(to);
            for (int seq = 0; seq < count; seq++) {
                ByteBuffer.wrap(out).putInt(seq).putLong(System.nanoTime());
                long sent = System.nanoTime();
                socket.send(new DatagramPacket(out, out.length));
                long deadline = sent + timeout.toNanos();
                while (true) {
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        break;
                    }
                    socket.setSoTimeout((int) Math.max(1, left));
                    DatagramPacket reply = new DatagramPacket(in, in.length);
                    try {
                        socket.receive(reply);
                    } catch (SocketTimeoutException e) {
                        break;
                    } catch (PortUnreachableException e) {
                        continue;
                    }
                    if (reply.getLength() >= 4 && ByteBuffer.wrap(in).getInt() == seq) {
                        double ms = (System.nanoTime() - sent) / 1e6;
                        received++;
                        sum += ms;
                        min = Math.min(min, ms);
                        max = Math.max(max, ms);
                        break;
                    }
                }
                if (seq + 1 < count) {
                    try {
                        Thread.sleep(interval);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
        }
        return received == 0 ? new Probe(count, 0, 0, 0, 0) : new Probe(count, received, min, sum / received, max);
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("serve")) {
            try (UdpEcho echo = start(SocketAddresses.parse(args[1]))) {
                System.out.println("echo listening on " + SocketAddresses.format(echo.address()));
                echo.thread.join();
            }
        } else if (args.length == 5 && args[0].equals("probe")) {
            Probe probe = probe(SocketAddresses.parse(args[1]), Integer.parseInt(args[2]),
                    Units.parseDuration(args[3]), Units.parseDuration(args[4]));
            System.out.println(probe.format());
        } else {
            System.err.println("usage: UdpEcho serve ADDR:PORT | UdpEcho probe ADDR:PORT COUNT INTERVAL TIMEOUT");
            System.exit(2);
        }
    }
}
