package net.braid.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A topology of network namespaces joined by veth links, and everything started inside them.
 * {@link #close()} stops every spawned process and deletes every namespace this test bed made
 * (which removes their veths); a JVM shutdown hook does the same if close() is never reached, and
 * {@link #create} first removes what crashed earlier runs with the same label left behind.
 *
 * <pre>{@code
 * try (Testbed bed = Testbed.create("demo")) {
 *     Host a = bed.host("a"), r = bed.host("r").router(), b = bed.host("b");
 *     Link ar = bed.link(a, r), rb = bed.link(r, b);
 *     a.defaultRoute(ar);
 *     b.defaultRoute(rb);
 *     PingResult ping = Ping.run(a, rb.v4(b), 3);
 * }
 * }</pre>
 *
 * Nothing here touches the root namespace: namespaces are added and deleted by name, links are
 * created straight inside them, and every address and route lies in {@link TestRanges}.
 */
public final class Testbed implements AutoCloseable {
    private static final int MAX_DEVICE_NAME = 15; // IFNAMSIZ - 1
    private static volatile Optional<String> unavailableReason;

    private final String label;
    private final String run;
    private final List<Host> hosts = new ArrayList<>();
    private final List<Link> links = new ArrayList<>();
    private final List<Spawned> spawned = new ArrayList<>();
    private final Thread shutdownHook;
    private int nextLinkIndex;
    private Path logDir;
    private boolean closed;

    private Testbed(String label) {
        this.label = label;
        this.run = NamespaceName.newRun();
        this.shutdownHook = Thread.ofPlatform().name("braid-testbed-cleanup-" + run).unstarted(this::closeOnShutdown);
    }

    /**
     * Starts an empty test bed. {@code label} (1-12 of a-z, 0-9) names its namespaces
     * {@code braid-<label>-<host>-<run>}; namespaces of the same label whose creating JVM has died
     * are removed first.
     */
    public static Testbed create(String label) {
        NamespaceName.requirePart("label", label);
        Tools.require("ip", "tc", "sysctl");
        for (String stale : removeStale(label)) {
            System.err.println("braid testbed: removed stale namespace " + stale);
        }
        Testbed testbed = new Testbed(label);
        Runtime.getRuntime().addShutdownHook(testbed.shutdownHook);
        return testbed;
    }

    /**
     * Why namespace tests cannot run here (not Linux, not root, no {@code ip}, namespaces refused),
     * or empty if they can. Probes once per JVM by creating and deleting a namespace.
     */
    public static Optional<String> available() {
        Optional<String> reason = unavailableReason;
        if (reason == null) {
            synchronized (Testbed.class) {
                reason = unavailableReason;
                if (reason == null) {
                    reason = probe();
                    unavailableReason = reason;
                }
            }
        }
        return reason;
    }

    /**
     * Deletes leftover {@code braid-<label>-*} namespaces whose creating JVM is gone (a crashed
     * run), first stopping the processes still inside them. Namespaces of live runs, and any
     * namespace not named by this test bed, are left alone. Returns the names removed.
     */
    public static List<String> removeStale(String label) {
        NamespaceName.requirePart("label", label);
        List<String> removed = new ArrayList<>();
        for (String namespace : listNamespaces()) {
            Optional<NamespaceName> name = NamespaceName.parse(namespace);
            if (name.isPresent() && name.get().label().equals(label) && !name.get().ownerMayBeAlive()) {
                deleteNamespace(namespace);
                removed.add(namespace);
            }
        }
        return removed;
    }

    /** The names of all network namespaces on this machine ({@code ip netns list}). */
    public static List<String> listNamespaces() {
        String out = Command.run(List.of(Tools.path("ip"), "netns", "list")).stdout();
        return out.lines().map(String::strip).filter(line -> !line.isEmpty())
                .map(line -> line.split("\\s+", 2)[0]).toList();
    }

    public String label() {
        return label;
    }

    /** The unique id of this run, the last part of every namespace name. */
    public String run() {
        return run;
    }

    public synchronized List<Host> hosts() {
        return List.copyOf(hosts);
    }

    public synchronized List<Link> links() {
        return List.copyOf(links);
    }

    /** The namespace names this test bed has made and not yet deleted. */
    public synchronized List<String> namespaces() {
        return hosts.stream().map(Host::namespace).toList();
    }

    /** Creates a host: a new namespace with lo up. {@code name} is 1-12 of a-z, 0-9, unique in this test bed. */
    public synchronized Host host(String name) {
        requireOpen();
        if (hosts.stream().anyMatch(h -> h.name().equals(name))) {
            throw new IllegalArgumentException("host " + name + " already exists in this test bed");
        }
        String namespace = new NamespaceName(label, name, run).toString();
        Command.run(List.of(Tools.path("ip"), "netns", "add", namespace));
        Host host = new Host(this, name, namespace);
        hosts.add(host); // added before configuring, so close() deletes it whatever happens next
        host.ip("link", "set", "dev", "lo", "up");
        // Test addresses are unique by construction; duplicate detection would only hold every
        // new IPv6 address (link-local too) tentative for a second or more.
        host.run(Tools.path("sysctl"), "-q", "-w", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
        return host;
    }

    /** Joins two hosts of this test bed with a veth pair, addressed and up. */
    public synchronized Link link(Host a, Host b) {
        requireOpen();
        requireMine(a);
        requireMine(b);
        if (a == b) {
            throw new IllegalArgumentException("a link needs two different hosts, got " + a + " twice");
        }
        int index = nextLinkIndex++; // never reused, even after a failed link, so device names stay unique
        Link link = new Link(index, a, deviceName(index, b), b, deviceName(index, a));
        link.create();
        links.add(link);
        return link;
    }

    synchronized Spawned spawn(Host host, List<String> command) {
        return spawn(host, command, false);
    }

    /** {@code input}: stdin is a pipe for {@link Spawned#writeLine}, else /dev/null. */
    synchronized Spawned spawn(Host host, List<String> command, boolean input) {
        requireOpen();
        requireMine(host);
        try {
            if (logDir == null) {
                logDir = Files.createTempDirectory("braid-testbed-" + label + "-" + run + "-");
            }
            String base = host.name() + "-" + spawned.size() + "-" + Path.of(command.getFirst()).getFileName();
            Path out = logDir.resolve(base + ".out");
            Path err = logDir.resolve(base + ".err");
            Process process = new ProcessBuilder(host.inNamespace(command))
                    .redirectInput(input ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            Spawned handle = new Spawned(host, command, process, out, err);
            spawned.add(handle);
            return handle;
        } catch (IOException e) {
            throw new TestbedException("cannot start " + String.join(" ", command) + " in " + host.namespace() + ": " + e.getMessage(), e);
        }
    }

    /** Stops every spawned process, deletes every namespace, and removes the logs. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> failures = new ArrayList<>();
        for (Spawned process : spawned.reversed()) {
            try {
                process.stop();
            } catch (RuntimeException e) {
                failures.add(e.getMessage());
            }
        }
        for (Host host : hosts.reversed()) {
            try {
                deleteNamespace(host.namespace());
            } catch (RuntimeException e) {
                failures.add(e.getMessage());
            }
        }
        hosts.clear();
        deleteLogs(failures);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // close() is running from the hook itself, or the JVM is already exiting.
        }
        if (!failures.isEmpty()) {
            throw new TestbedException("test bed " + label + "-" + run + " cleanup incomplete:\n  " + String.join("\n  ", failures));
        }
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    synchronized void requireOpen() {
        if (closed) {
            throw new IllegalStateException("test bed " + label + "-" + run + " is closed");
        }
    }

    private void requireMine(Host host) {
        if (host.testbed() != this) {
            throw new IllegalArgumentException(host + " belongs to another test bed");
        }
    }

    private void closeOnShutdown() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("braid testbed: " + e.getMessage());
        }
    }

    private void deleteLogs(List<String> failures) {
        if (logDir == null) {
            return;
        }
        if (Boolean.getBoolean("braid.testbed.keepLogs")) {
            System.err.println("braid testbed: process logs kept in " + logDir);
            return;
        }
        try (Stream<Path> files = Files.walk(logDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            failures.add("cannot delete " + logDir + ": " + e.getMessage());
        }
    }

    /** E.g. "b3-router": link index then the peer's name, so a device says where it leads. */
    static String deviceName(int index, Host peer) {
        String name = "b" + index + "-" + peer.name();
        return name.length() <= MAX_DEVICE_NAME ? name : name.substring(0, MAX_DEVICE_NAME);
    }

    /** Stops what still runs inside a namespace of ours (by pid), then deletes it. */
    private static void deleteNamespace(String namespace) {
        if (NamespaceName.parse(namespace).isEmpty()) {
            throw new IllegalStateException("refusing to delete namespace not made by the test bed: " + namespace);
        }
        ExecResult pids = Command.exec(Command.DEFAULT_TIMEOUT, List.of(Tools.path("ip"), "netns", "pids", namespace));
        if (pids.succeeded()) {
            for (String pid : pids.stdout().lines().map(String::strip).filter(p -> p.matches("\\d+")).toList()) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> ProcessTree.terminate(p, Spawned.STOP_GRACE));
            }
        }
        ExecResult deleted = Command.exec(Command.DEFAULT_TIMEOUT, List.of(Tools.path("ip"), "netns", "delete", namespace));
        if (!deleted.succeeded() && listNamespaces().contains(namespace)) {
            throw new CommandFailedException(deleted);
        }
    }

    private static Optional<String> probe() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return Optional.of("network namespaces need Linux, this is " + System.getProperty("os.name"));
        }
        Optional<Long> uid = effectiveUid();
        if (uid.isPresent() && uid.get() != 0) {
            return Optional.of("not root (uid " + uid.get() + "): creating network namespaces needs root");
        }
        for (String tool : List.of("ip", "tc", "sysctl")) {
            if (Tools.find(tool).isEmpty()) {
                return Optional.of(Tools.describeMissing(List.of(tool)));
            }
        }
        String namespace = new NamespaceName("probe", "ns", NamespaceName.newRun()).toString();
        ExecResult added = Command.exec(Command.DEFAULT_TIMEOUT, List.of(Tools.path("ip"), "netns", "add", namespace));
        if (!added.succeeded()) {
            return Optional.of("cannot create a network namespace: " + added.stderr().strip());
        }
        deleteNamespace(namespace);
        return Optional.empty();
    }

    private static Optional<Long> effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Optional.of(Long.parseLong(line.split("\\s+")[2]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // No /proc: let the namespace probe decide.
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "Testbed[" + label + "-" + run + ", hosts=" + hosts.size() + ", links=" + links.size() + "]";
    }
}
