package net.braid.config;

import java.util.List;
import java.util.Objects;

/**
 * What {@code braid up} changes on the host besides its TUN, and undoes on exit (wg-quick's
 * Table, FwMark and hooks, plus forwarding and NAT which wg-quick leaves to PostUp lines).
 *
 * @param table      where AllowedIPs routes go: {@code auto} (main table; a default route through
 *                   policy routing), {@code off} (no routes at all), or a table number
 * @param fwMark     the mark on braid's own UDP sockets, 0 for none; with a default route and
 *                   {@code auto} it defaults to the policy table's number, so the tunnel's own
 *                   packets skip the tunnel (as wg-quick does)
 * @param forward    IP forwarding on, for a portal that routes a LAN or other clients
 * @param masquerade NAT of tunnelled traffic leaving through any other interface (a remote portal
 *                   with one public address); implies forwarding
 * @param hooks      shell commands around start and stop, {@code %i} standing for the TUN's name
 * @param lend       seed 003's "client holds the remote portal's address": this host's public
 *                   addresses whose traffic goes through the tunnel to the peer's client, except
 *                   braid's own port and the {@code keepLocal} ones
 * @param keepLocal  ports of the lent addresses still served by this host (SSH by default)
 */
public record HostSetup(Table table, long fwMark, boolean forward, boolean masquerade, Hooks hooks,
                        List<IpPrefix> lend, List<LocalPort> keepLocal) {

    /** wg-quick's first table; braid picks its own so both can run side by side. */
    public static final long DEFAULT_POLICY_TABLE = 51_920;

    /** What a lent address keeps for this host when KeepLocal is not given: SSH. */
    public static final List<LocalPort> DEFAULT_KEEP_LOCAL = List.of(new LocalPort("tcp", 22));

    public static final HostSetup NONE = new HostSetup(Table.AUTO, 0, false, false, Hooks.NONE);

    public HostSetup(Table table, long fwMark, boolean forward, boolean masquerade, Hooks hooks) {
        this(table, fwMark, forward, masquerade, hooks, List.of(), DEFAULT_KEEP_LOCAL);
    }

    public HostSetup {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(hooks, "hooks");
        lend = List.copyOf(lend);
        keepLocal = List.copyOf(keepLocal);
        if (fwMark < 0 || fwMark > 0xffff_ffffL) throw new IllegalArgumentException("FwMark is 32 bits: " + fwMark);
    }

    /** Whether packets from the tunnel are forwarded to other interfaces. */
    public boolean forwarding() {
        return forward || masquerade || !lend.isEmpty();
    }

    /** A transport port on this host, e.g. {@code tcp/22}. */
    public record LocalPort(String protocol, int port) {
        public LocalPort {
            if (!protocol.equals("tcp") && !protocol.equals("udp")) throw new IllegalArgumentException("tcp or udp: " + protocol);
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port 1..65535: " + port);
        }

        @Override public String toString() { return protocol + "/" + port; }
    }

    /** Where AllowedIPs routes go. */
    public sealed interface Table {
        Table AUTO = new Auto();
        Table OFF = new Off();

        record Auto() implements Table {
            @Override public String toString() { return "auto"; }
        }

        record Off() implements Table {
            @Override public String toString() { return "off"; }
        }

        /** A routing table by number (1..2^32-1 except the kernel's local, main and default). */
        record Numbered(long number) implements Table {
            @Override public String toString() { return Long.toString(number); }
        }
    }

    /** wg-quick's four hooks, each a list of shell command lines run in order. */
    public record Hooks(List<String> preUp, List<String> postUp, List<String> preDown, List<String> postDown) {
        public static final Hooks NONE = new Hooks(List.of(), List.of(), List.of(), List.of());

        public Hooks {
            preUp = List.copyOf(preUp);
            postUp = List.copyOf(postUp);
            preDown = List.copyOf(preDown);
            postDown = List.copyOf(postDown);
        }

        public boolean isEmpty() {
            return preUp.isEmpty() && postUp.isEmpty() && preDown.isEmpty() && postDown.isEmpty();
        }
    }
}
