package net.braid.cli.proxy;

import java.util.LinkedHashMap;
import java.util.Map;
import net.braid.masque.udp.ProxyCounters;

/**
 * What a running {@code braid proxy} tells its control socket: {@code key=value} lines, stable for
 * scripts, like a portal's (see {@code ControlStatus}).
 */
public final class ProxyStatusLines {
    private ProxyStatusLines() {}

    public static String of(String name, ProxyServer proxy) {
        ProxyCounters.Snapshot c = proxy.counters();
        var b = new StringBuilder();
        line(b, "proxy", name);
        line(b, "listen", proxy.localAddress().getAddress().getHostAddress() + ":" + proxy.localAddress().getPort());
        line(b, "pin", proxy.pin());
        line(b, "connections", proxy.connections());
        line(b, "udp_sessions", c.udpSessions());
        line(b, "tcp_sessions", c.tcpSessions());
        line(b, "refused", c.refused());
        line(b, "malformed_capsules", c.malformedCapsules());
        line(b, "datagrams_to_targets", c.datagramsToTargets());
        line(b, "datagrams_from_targets", c.datagramsFromTargets());
        line(b, "dropped_unknown_context", c.droppedUnknownContext());
        line(b, "dropped_queue_full", c.droppedQueueFull());
        line(b, "dropped_too_large", c.droppedTooLarge());
        line(b, "udp_idle_closed", c.idleClosed());
        return b.toString();
    }

    public static Map<String, String> parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : text.split("\n")) {
            int eq = l.indexOf('=');
            if (eq > 0) m.put(l.substring(0, eq), l.substring(eq + 1));
        }
        return m;
    }

    private static void line(StringBuilder b, String key, Object value) {
        b.append(key).append('=').append(value).append('\n');
    }
}
