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
 */
public record HostSetup(Table table, long fwMark, boolean forward, boolean masquerade, Hooks hooks) {

    /** wg-quick's first table; braid picks its own so both can run side by side. */
    public static final long DEFAULT_POLICY_TABLE = 51_920;

    public static final HostSetup NONE = new HostSetup(Table.AUTO, 0, false, false, Hooks.NONE);

    public HostSetup {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(hooks, "hooks");
        if (fwMark < 0 || fwMark > 0xffff_ffffL) throw new IllegalArgumentException("FwMark is 32 bits: " + fwMark);
    }

    /** Whether packets from the tunnel are forwarded to other interfaces. */
    public boolean forwarding() {
        return forward || masquerade;
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
