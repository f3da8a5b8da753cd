package net.braid.cli;

import java.util.List;
import java.util.Map;
import net.braid.cli.control.ControlStatus;

/** One reading of a portal's control socket with one peer: its drop counters and the peer's bytes. */
record PortalStatus(Map<String, String> iface, Map<String, String> peer) {

    static PortalStatus of(String showText) {
        List<Map<String, String>> blocks = ControlStatus.parse(showText);
        if (blocks.size() != 2) throw new IllegalStateException("expected one peer in:\n" + showText);
        return new PortalStatus(blocks.getFirst(), blocks.get(1));
    }

    static PortalStatus read(PortalPair pair, net.braid.testbed.Host host) {
        return of(pair.show(host));
    }

    /** A {@code dropped_*} counter by the rest of its name, e.g. {@code dropped("replayed")}. */
    long dropped(String reason) {
        return number(iface, "dropped_" + reason);
    }

    long rxBytes() { return number(peer, "rx_bytes"); }
    long txBytes() { return number(peer, "tx_bytes"); }
    long lastHandshakeMillis() { return number(peer, "last_handshake"); }

    private static long number(Map<String, String> block, String key) {
        String v = block.get(key);
        if (v == null) throw new IllegalStateException("no " + key + " in " + block);
        return Long.parseLong(v);
    }
}
