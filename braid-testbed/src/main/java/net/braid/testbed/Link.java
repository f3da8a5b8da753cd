package net.braid.testbed;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A veth pair between two hosts, addressed from its own {@link LinkSubnet}. Taking a link down
 * makes the kernel forget its IPv6 addresses and every route through it; {@link #up()} puts back
 * addresses, routes and rate limits, so a test can cut and restore a path as often as it likes.
 */
public final class Link {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(5);

    private enum Side { A, B }

    private record Route(Host host, String destination, boolean ipv6) {}

    private final int index;
    private final LinkSubnet subnet;
    private final LinkEnd a;
    private final LinkEnd b;
    private final Set<Route> routes = new LinkedHashSet<>();
    private final Map<Side, Shaping> shaping = new EnumMap<>(Side.class);
    private boolean up;

    Link(int index, Host hostA, String deviceA, Host hostB, String deviceB) {
        this.index = index;
        this.subnet = new LinkSubnet(index);
        this.a = new LinkEnd(hostA, deviceA, subnet.v4Of(0), subnet.v6Of(0));
        this.b = new LinkEnd(hostB, deviceB, subnet.v4Of(1), subnet.v6Of(1));
    }

    /** Creates the veth pair directly inside the two namespaces (never in the root namespace). */
    void create() {
        a.host().ip("link", "add", a.device(), "type", "veth", "peer", "name", b.device(), "netns", b.host().namespace());
        up();
    }

    public int index() {
        return index;
    }

    public LinkEnd a() {
        return a;
    }

    public LinkEnd b() {
        return b;
    }

    /** The end of this link that lies in {@code host}. */
    public LinkEnd end(Host host) {
        return switch (sideOf(host)) {
            case A -> a;
            case B -> b;
        };
    }

    /** The end of this link that is not in {@code host}. */
    public LinkEnd far(Host host) {
        return switch (sideOf(host)) {
            case A -> b;
            case B -> a;
        };
    }

    public Host peer(Host host) {
        return far(host).host();
    }

    /** The IPv4 address of {@code host} on this link. */
    public Inet4Address v4(Host host) {
        return end(host).v4();
    }

    /** The IPv6 address of {@code host} on this link. */
    public Inet6Address v6(Host host) {
        return end(host).v6();
    }

    /** The device name of this link inside {@code host}. */
    public String device(Host host) {
        return end(host).device();
    }

    public TestRanges.Prefix prefix4() {
        return subnet.v4Prefix();
    }

    public TestRanges.Prefix prefix6() {
        return subnet.v6Prefix();
    }

    public synchronized boolean isUp() {
        return up;
    }

    /** Limits {@code side}'s egress to {@code bitsPerSecond} with a tbf sized by {@link Shaping#forRate}. */
    public Link rate(Host side, long bitsPerSecond) {
        return rate(side, Shaping.forRate(bitsPerSecond));
    }

    public synchronized Link rate(Host side, Shaping limit) {
        Side s = sideOf(side);
        shaping.put(s, limit);
        if (up) {
            applyShaping(s, limit);
        }
        return this;
    }

    /** Limits both directions alike. */
    public Link rate(long bitsPerSecond) {
        rate(a.host(), bitsPerSecond);
        return rate(b.host(), bitsPerSecond);
    }

    /** Removes the rate limits of both sides. */
    public synchronized Link clearRate() {
        for (Side s : Side.values()) {
            clearRate(s);
        }
        return this;
    }

    public synchronized Link clearRate(Host side) {
        clearRate(sideOf(side));
        return this;
    }

    /** Cuts the link: both ends administratively down, so packets either way are dropped. */
    public synchronized Link down() {
        a.host().ip("link", "set", "dev", a.device(), "down");
        b.host().ip("link", "set", "dev", b.device(), "down");
        up = false;
        return this;
    }

    /** Brings both ends up and restores the addresses, routes and rate limits the link had. */
    public synchronized Link up() {
        for (LinkEnd end : new LinkEnd[] {a, b}) {
            Host host = end.host();
            host.ip("addr", "replace", TestRanges.require(end.v4()).getHostAddress() + "/24", "dev", end.device());
            host.ip("-6", "addr", "replace", TestRanges.require(end.v6()).getHostAddress() + "/64", "dev", end.device(), "nodad");
            host.ip("link", "set", "dev", end.device(), "up");
        }
        awaitReady(a);
        awaitReady(b);
        up = true;
        for (Route route : routes) {
            install(route);
        }
        shaping.forEach(this::applyShaping);
        return this;
    }

    /**
     * Waits until the kernel has really started the device. Carrier changes are applied by the
     * kernel's link watcher, rate-limited to about once a second; until then the device has a noop
     * qdisc that drops everything and IPv6 ignores neighbour solicitations. The link-local address
     * appears exactly when the device is ready, so it is the sign to wait for.
     */
    private static void awaitReady(LinkEnd end) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            String linkLocal = end.host().ipOutput("-6", "-o", "addr", "show", "dev", end.device(), "scope", "link");
            if (linkLocal.contains("fe80:") && !linkLocal.contains("tentative")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TestbedException(end.device() + " in " + end.host() + " not ready after "
                        + READY_TIMEOUT.toSeconds() + " s: " + linkLocal.strip());
            }
            Spawned.sleep(Duration.ofMillis(20));
        }
    }

    synchronized void addRoute(Host host, String destination, boolean ipv6) {
        Route route = new Route(host, destination, ipv6);
        sideOf(host);
        routes.add(route);
        if (up) {
            install(route);
        }
    }

    private void install(Route route) {
        LinkEnd near = end(route.host());
        LinkEnd far = far(route.host());
        String nextHop = route.ipv6() ? far.v6().getHostAddress() : far.v4().getHostAddress();
        route.host().ip(route.ipv6() ? "-6" : "-4", "route", "replace", route.destination(), "via", nextHop, "dev", near.device());
    }

    private void applyShaping(Side s, Shaping limit) {
        LinkEnd end = s == Side.A ? a : b;
        String[] head = {"qdisc", "replace", "dev", end.device(), "root"};
        String[] tbf = limit.tbfArguments();
        String[] args = new String[head.length + tbf.length];
        System.arraycopy(head, 0, args, 0, head.length);
        System.arraycopy(tbf, 0, args, head.length, tbf.length);
        end.host().tc(args).requireSuccess();
    }

    private void clearRate(Side s) {
        if (shaping.remove(s) != null) {
            LinkEnd end = s == Side.A ? a : b;
            ExecResult result = end.host().tc("qdisc", "del", "dev", end.device(), "root");
            if (up) {
                // While down the kernel may already have dropped the qdisc; only an up link must have had it.
                result.requireSuccess();
            }
        }
    }

    private Side sideOf(Host host) {
        if (host == a.host()) {
            return Side.A;
        }
        if (host == b.host()) {
            return Side.B;
        }
        throw new IllegalArgumentException(host + " is not an end of link " + this);
    }

    @Override
    public String toString() {
        return a.host().name() + ":" + a.device() + " <-> " + b.host().name() + ":" + b.device() + " (" + prefix4() + ", " + prefix6() + ")";
    }
}
