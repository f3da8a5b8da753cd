package net.braid.testbed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One test host: a network namespace with lo up, joined to other hosts by {@link Link}s. */
public final class Host {
    private final Testbed testbed;
    private final String name;
    private final String namespace;
    private boolean router;

    Host(Testbed testbed, String name, String namespace) {
        this.testbed = testbed;
        this.name = name;
        this.namespace = namespace;
    }

    /** The short name given to {@link Testbed#host}. */
    public String name() {
        return name;
    }

    /** The namespace name, e.g. {@code braid-demo-a-0a1b2c3d}, for {@code ip netns exec}. */
    public String namespace() {
        return namespace;
    }

    public Testbed testbed() {
        return testbed;
    }

    public boolean isRouter() {
        return router;
    }

    /** Turns on IPv4 and IPv6 forwarding inside this namespace only. */
    public Host router() {
        sysctl("net.ipv4.ip_forward", "1");
        sysctl("net.ipv6.conf.all.forwarding", "1");
        router = true;
        return this;
    }

    /** Sets a sysctl inside this namespace ({@code ip netns exec NS sysctl -w KEY=VALUE}). */
    public Host sysctl(String key, String value) {
        if (!key.matches("net\\.[A-Za-z0-9_.\\-]+")) {
            // Only net.* is namespaced; anything else would change the whole machine.
            throw new TestbedException("refusing sysctl " + key + ": only net.* keys are per namespace");
        }
        run(Tools.path("sysctl"), "-q", "-w", key + "=" + value);
        return this;
    }

    /**
     * Routes {@code prefix} (e.g. "198.18.3.0/24" or "2001:db8:0:3::/64") through the far end of
     * {@code via}, which must be a link of this host. The route comes back after {@link Link#up()}.
     */
    public Host route(String prefix, Link via) {
        TestRanges.Prefix parsed = TestRanges.require(TestRanges.Prefix.parse(prefix));
        via.addRoute(this, parsed.toString(), parsed.isIpv6());
        return this;
    }

    /** Routes both address families of {@code destination}'s subnets through {@code via}. */
    public Host routeTo(Link destination, Link via) {
        route(destination.prefix4().toString(), via);
        route(destination.prefix6().toString(), via);
        return this;
    }

    /** IPv4 and IPv6 default routes through the far end of {@code via}. */
    public Host defaultRoute(Link via) {
        via.addRoute(this, "default", false);
        via.addRoute(this, "default", true);
        return this;
    }

    /** Runs a command inside this namespace and returns its result whatever the exit code (30 s timeout). */
    public ExecResult exec(String... command) {
        return exec(Command.DEFAULT_TIMEOUT, command);
    }

    public ExecResult exec(Duration timeout, String... command) {
        return exec(timeout, List.of(command));
    }

    public ExecResult exec(Duration timeout, List<String> command) {
        testbed.requireOpen();
        ExecResult raw = Command.exec(timeout, inNamespace(command));
        return new ExecResult(command, raw.exitCode(), raw.stdout(), raw.stderr());
    }

    /** Like {@link #exec}, but throws {@link CommandFailedException} unless the command exits 0. */
    public ExecResult run(String... command) {
        return exec(command).requireSuccess();
    }

    public ExecResult run(Duration timeout, String... command) {
        return exec(timeout, command).requireSuccess();
    }

    /** Starts a long-running process inside this namespace; {@link Testbed#close()} stops it if you do not. */
    public Spawned spawn(String... command) {
        return spawn(List.of(command));
    }

    public Spawned spawn(List<String> command) {
        return testbed.spawn(this, command);
    }

    /** Like {@link #spawn}, but the process reads its stdin from {@link Spawned#writeLine}. */
    public Spawned spawnWithInput(List<String> command) {
        return testbed.spawn(this, command, true);
    }

    /** The command line that runs {@code command} inside this namespace. */
    List<String> inNamespace(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        List<String> argv = new ArrayList<>(Arrays.asList(Tools.path("ip"), "netns", "exec", namespace));
        argv.addAll(command);
        return argv;
    }

    /** Runs {@code ip -n NS ARGS...}, throwing on failure. */
    void ip(String... args) {
        List<String> argv = new ArrayList<>(Arrays.asList(Tools.path("ip"), "-n", namespace));
        argv.addAll(Arrays.asList(args));
        Command.run(argv);
    }

    /** Runs {@code ip -n NS ARGS...} and returns its stdout, throwing on failure. */
    String ipOutput(String... args) {
        List<String> argv = new ArrayList<>(Arrays.asList(Tools.path("ip"), "-n", namespace));
        argv.addAll(Arrays.asList(args));
        return Command.run(argv).stdout();
    }

    /** Runs {@code tc -n NS ARGS...} and returns the result whatever the exit code. */
    ExecResult tc(String... args) {
        List<String> argv = new ArrayList<>(Arrays.asList(Tools.path("tc"), "-n", namespace));
        argv.addAll(Arrays.asList(args));
        return Command.exec(Command.DEFAULT_TIMEOUT, argv);
    }

    @Override
    public String toString() {
        return name + " (" + namespace + ")";
    }
}
