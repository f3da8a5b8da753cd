package net.braid.testbed;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs iperf3 between test hosts.
 *
 * <pre>{@code
 * try (Iperf3.Server server = Iperf3.server(b, link.v4(b))) {
 *     Iperf3Result r = Iperf3.client(a, server).seconds(2).run();
 * }
 * }</pre>
 */
public final class Iperf3 {
    public static final int DEFAULT_PORT = 5201;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(5);

    private Iperf3() {}

    /** Starts a one-shot server ({@code iperf3 -s -1 -J}) bound to {@code bind} on the default port. */
    public static Server server(Host host, InetAddress bind) {
        return server(host, bind, DEFAULT_PORT);
    }

    /** Starts a one-shot server bound to {@code bind} and {@code port}, and waits until it listens. */
    public static Server server(Host host, InetAddress bind, int port) {
        Tools.require("iperf3", "ss");
        requireTestAddress(bind);
        Spawned process = host.spawn(Tools.path("iperf3"), "-s", "-1", "-J", "-B", bind.getHostAddress(), "-p", Integer.toString(port));
        Server server = new Server(host, bind, port, process);
        try {
            server.awaitListening();
        } catch (RuntimeException e) {
            process.stop();
            throw e;
        }
        return server;
    }

    public static Client client(Host from, Server server) {
        return new Client(from, server.address()).port(server.port());
    }

    public static Client client(Host from, InetAddress to) {
        return new Client(from, to);
    }

    private static void requireTestAddress(InetAddress address) {
        if (!address.isLoopbackAddress()) {
            TestRanges.require(address);
        }
    }

    /** A running iperf3 server that serves one test and then exits. */
    public static final class Server implements AutoCloseable {
        private final Host host;
        private final InetAddress address;
        private final int port;
        private final Spawned process;

        private Server(Host host, InetAddress address, int port, Spawned process) {
            this.host = host;
            this.address = address;
            this.port = port;
            this.process = process;
        }

        public Host host() {
            return host;
        }

        public InetAddress address() {
            return address;
        }

        public int port() {
            return port;
        }

        public Spawned process() {
            return process;
        }

        /** The server's own report, after it has served its one test. */
        public Iperf3Result result(Duration timeout) {
            process.waitFor(timeout);
            return Iperf3Result.parse(process.stdout());
        }

        @Override
        public void close() {
            process.stop();
        }

        private void awaitListening() {
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (true) {
                ExecResult sockets = host.exec(Tools.path("ss"), "-H", "-l", "-t", "-n", "sport", "=", ":" + port);
                if (sockets.succeeded() && !sockets.stdout().isBlank()) {
                    return;
                }
                if (!process.isAlive()) {
                    throw new TestbedException("iperf3 server in " + host + " exited at start:\n" + process.stdout() + process.stderr());
                }
                if (System.nanoTime() > deadline) {
                    throw new TestbedException("iperf3 server in " + host + " not listening on port " + port + " after "
                            + READY_TIMEOUT.toSeconds() + " s");
                }
                Spawned.sleep(Duration.ofMillis(20));
            }
        }
    }

    /** One client run: TCP by default, for 10 s, one stream, client sending. */
    public static final class Client {
        private final Host from;
        private final InetAddress to;
        private int port = DEFAULT_PORT;
        private int seconds = 10;
        private boolean reverse;
        private long udpBitsPerSecond;
        private int streams = 1;

        private Client(Host from, InetAddress to) {
            requireTestAddress(to);
            this.from = from;
            this.to = to;
        }

        public Client port(int port) {
            this.port = port;
            return this;
        }

        public Client seconds(int seconds) {
            if (seconds < 1) {
                throw new IllegalArgumentException("seconds must be at least 1: " + seconds);
            }
            this.seconds = seconds;
            return this;
        }

        /** The server sends and the client receives ({@code -R}). */
        public Client reverse() {
            this.reverse = true;
            return this;
        }

        /** UDP at the given offered rate ({@code -u -b RATE}). */
        public Client udp(long bitsPerSecond) {
            if (bitsPerSecond <= 0) {
                throw new IllegalArgumentException("UDP rate must be positive: " + bitsPerSecond);
            }
            this.udpBitsPerSecond = bitsPerSecond;
            return this;
        }

        /** Parallel streams ({@code -P n}). */
        public Client parallel(int streams) {
            if (streams < 1 || streams > 128) {
                throw new IllegalArgumentException("streams must be 1..128: " + streams);
            }
            this.streams = streams;
            return this;
        }

        List<String> command() {
            List<String> argv = new ArrayList<>(List.of(Tools.path("iperf3"), "-c", to.getHostAddress(),
                    "-p", Integer.toString(port), "-t", Integer.toString(seconds), "-J"));
            if (to instanceof Inet6Address) {
                argv.add("-6");
            }
            if (reverse) {
                argv.add("-R");
            }
            if (udpBitsPerSecond > 0) {
                argv.addAll(List.of("-u", "-b", Long.toString(udpBitsPerSecond)));
            }
            if (streams > 1) {
                argv.addAll(List.of("-P", Integer.toString(streams)));
            }
            return argv;
        }

        /** Runs the client to completion and returns its summary; throws if iperf3 reports an error. */
        public Iperf3Result run() {
            Tools.require("iperf3");
            ExecResult result = from.exec(Duration.ofSeconds(seconds + 20L), command());
            if (result.stdout().isBlank()) {
                throw new CommandFailedException(result);
            }
            return Iperf3Result.parse(result.stdout());
        }
    }
}
