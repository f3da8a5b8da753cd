package net.braid.testbed.impair;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import net.braid.testbed.Host;
import net.braid.testbed.Link;
import net.braid.testbed.Spawned;
import net.braid.testbed.TestbedException;

/**
 * An {@link ImpairmentRelay} running as a process in the middle host of client—middle—server:
 * it listens on the middle's address on the client link and forwards to the server's address on
 * the server link. The client sends to {@link #listenAddress()} instead of the server; the middle
 * needs no forwarding or routes, since each side talks to an address on its own link.
 *
 * <pre>{@code
 * Link cm = bed.link(client, middle), ms = bed.link(middle, server);
 * try (ImpairedPath path = ImpairedPath.through(middle, cm, ms).ports(7000, 7001)
 *         .options("--delay", "20ms", "--loss", "1%").start()) {
 *     ... client sends to path.listenAddress(), server listens on path.target() ...
 *     path.cut(); path.restore(); path.command("rate 10mbit"); path.counters();
 * }
 * }</pre>
 */
public final class ImpairedPath implements ImpairmentControl, AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    private final Spawned process;
    private final InetSocketAddress listen;
    private final InetSocketAddress target;
    private int answered;

    private ImpairedPath(Spawned process, InetSocketAddress listen, InetSocketAddress target) {
        this.process = process;
        this.listen = listen;
        this.target = target;
    }

    /** Starts describing a relay in {@code middle}, between {@code clientLink} and {@code serverLink}. */
    public static Builder through(Host middle, Link clientLink, Link serverLink) {
        return new Builder(middle, clientLink, serverLink);
    }

    /** Where the client sends: the middle's address on the client link. */
    public InetSocketAddress listenAddress() {
        return listen;
    }

    /** Where the relay forwards to: the server's address on the server link. */
    public InetSocketAddress target() {
        return target;
    }

    public Spawned process() {
        return process;
    }

    /** Sends a command line to the relay's stdin and waits for its one-line answer. */
    @Override
    public synchronized String command(String line) {
        RelayCommand.parse(line); // fail here, with the caller's stack, rather than in the relay
        process.writeLine(line.strip());
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        while (true) {
            List<String> answers = answers();
            if (answers.size() > answered) {
                String answer = answers.get(answered++);
                if (answer.startsWith("error ")) {
                    throw new IllegalArgumentException("relay refused \"" + line.strip() + "\": " + answer.substring(6));
                }
                return answer;
            }
            if (!process.isAlive()) {
                throw new TestbedException("impairment relay exited; stderr: " + process.stderr().strip());
            }
            if (System.nanoTime() > deadline) {
                throw new TestbedException("impairment relay did not answer \"" + line.strip() + "\" within "
                        + ANSWER_TIMEOUT.toMillis() + " ms; stderr: " + process.stderr().strip());
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TestbedException("interrupted waiting for the relay", e);
            }
        }
    }

    @Override
    public RelayCounters counters() {
        return RelayCounters.parse(command("stats"));
    }

    /** Stops the relay process. */
    @Override
    public void close() {
        process.stop();
    }

    /** Complete answer lines, after the "listening" line. */
    private List<String> answers() {
        String out = process.stdout();
        int end = out.lastIndexOf('\n');
        if (end < 0) {
            return List.of();
        }
        List<String> lines = out.substring(0, end).lines().toList();
        return lines.subList(1, lines.size());
    }

    /** The command line that starts {@code main} with this JVM and class path (as braid-cli's BraidProcess). */
    static List<String> javaCommand(Class<?> main, List<String> args) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xmx128m", "-Xss512k",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        return command;
    }

    /** Settings for {@link ImpairedPath#through}. */
    public static final class Builder {
        private final Host middle;
        private final Link clientLink;
        private final Link serverLink;
        private int listenPort = 7000;
        private int targetPort = 7001;
        private boolean ipv6;
        private final List<String> options = new ArrayList<>();

        private Builder(Host middle, Link clientLink, Link serverLink) {
            this.middle = Objects.requireNonNull(middle);
            this.clientLink = Objects.requireNonNull(clientLink);
            this.serverLink = Objects.requireNonNull(serverLink);
            clientLink.end(middle); // throws unless the middle is on both links
            serverLink.end(middle);
        }

        /** The relay's port on the client link, and the server's port it forwards to (default 7000, 7001). */
        public Builder ports(int listenPort, int targetPort) {
            this.listenPort = listenPort;
            this.targetPort = targetPort;
            return this;
        }

        /** Use the links' IPv6 addresses instead of IPv4. */
        public Builder ipv6(boolean ipv6) {
            this.ipv6 = ipv6;
            return this;
        }

        /** {@link ImpairmentRelayMain} options such as {@code "--delay", "20ms"}. */
        public Builder options(String... options) {
            this.options.addAll(List.of(options));
            return this;
        }

        public ImpairedPath start() {
            Host server = serverLink.peer(middle);
            InetAddress listenIp = ipv6 ? clientLink.v6(middle) : clientLink.v4(middle);
            InetAddress targetIp = ipv6 ? serverLink.v6(server) : serverLink.v4(server);
            InetSocketAddress listen = new InetSocketAddress(listenIp, listenPort);
            InetSocketAddress target = new InetSocketAddress(targetIp, targetPort);
            List<String> args = new ArrayList<>(List.of(
                    "--listen", SocketAddresses.format(listen), "--target", SocketAddresses.format(target)));
            args.addAll(options);
            Spawned process = middle.spawnWithInput(javaCommand(ImpairmentRelayMain.class, args));
            try {
                process.awaitOutput("listening ", START_TIMEOUT);
            } catch (RuntimeException e) {
                process.stop();
                throw e;
            }
            return new ImpairedPath(process, listen, target);
        }
    }
}
