package net.braid.cli.interpose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.braid.interpose.FlowInfo;

/**
 * What a running {@code braid interpose} tells its control socket: {@code key=value} lines, stable
 * for scripts, like a portal's ({@code ControlStatus}) — the TUN, the proxy and the connection to
 * it, the engine's counters, then one {@code flow=} line per live flow:
 *
 * <pre>
 * flow=tcp 198.19.250.1:40000 -> 198.18.1.2:80 state=ESTABLISHED from_app=517 to_app=10240 retransmits=0 upstream=open,got-end
 * </pre>
 */
public final class InterposeStatusLines {
    static final String FIRST_KEY = "interpose";

    private InterposeStatusLines() {}

    /**
     * @param proxy the proxy's host:port
     * @param connection the state of the connection to the proxy ({@link MasqueUpstreamDialer#state})
     */
    public static String of(String tun, String proxy, String connection, Map<String, Long> counters, List<FlowInfo> flows) {
        var b = new StringBuilder();
        line(b, FIRST_KEY, tun);
        line(b, "proxy", proxy);
        line(b, "connection", connection);
        line(b, "tcp_flows", flows.stream().filter(f -> f.key().protocol() == 6).count());
        line(b, "udp_flows", flows.stream().filter(f -> f.key().protocol() == 17).count());
        counters.forEach((k, v) -> line(b, k, v));
        for (FlowInfo f : flows) {
            line(b, "flow", f.key() + " state=" + f.state() + " from_app=" + f.bytesFromApp() + " to_app=" + f.bytesToApp()
                    + " retransmits=" + f.retransmissions() + " upstream=" + f.upstream());
        }
        return b.toString();
    }

    /** Whether {@code text} came from an interpose control socket (and not a portal's or a proxy's). */
    public static boolean isInterpose(String text) {
        return text.startsWith(FIRST_KEY + "=");
    }

    /** The single-valued keys, in order; {@code flow} lines are left to {@link #flows}. */
    static Map<String, String> parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : text.split("\n")) {
            int eq = l.indexOf('=');
            if (eq > 0 && !l.startsWith("flow=")) m.put(l.substring(0, eq), l.substring(eq + 1));
        }
        return m;
    }

    /** The value of every {@code flow=} line. */
    static List<String> flows(String text) {
        List<String> flows = new ArrayList<>();
        for (String l : text.split("\n")) if (l.startsWith("flow=")) flows.add(l.substring(5));
        return flows;
    }

    /** Human-readable, for {@code braid show}. */
    public static String render(String text) {
        Map<String, String> m = parse(text);
        var b = new StringBuilder();
        b.append("interpose: ").append(m.get(FIRST_KEY)).append('\n');
        b.append("  proxy: ").append(m.get("proxy")).append(" (").append(m.get("connection")).append(")\n");
        b.append("  flows: ").append(m.get("tcp_flows")).append(" tcp, ").append(m.get("udp_flows")).append(" udp\n");
        b.append("  packets in: ").append(m.getOrDefault("packets_in", "0")).append('\n');
        var problems = new StringBuilder();
        boolean afterPackets = false;
        for (var e : m.entrySet()) {
            if (afterPackets && !e.getValue().equals("0")) {
                problems.append(problems.isEmpty() ? "" : ", ").append(e.getKey().replace('_', ' ')).append(' ').append(e.getValue());
            }
            afterPackets |= e.getKey().equals("packets_in");
        }
        b.append("  dropped or refused: ").append(problems.isEmpty() ? "none" : problems).append('\n');
        for (String f : flows(text)) {
            int s = f.indexOf(" state=");
            Map<String, String> fields = new LinkedHashMap<>();
            for (String kv : f.substring(s + 1).split(" ")) {
                int eq = kv.indexOf('=');
                if (eq > 0) fields.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            b.append(String.format(Locale.ROOT, "  %s  %s, from app %s, to app %s, retransmits %s, upstream %s%n",
                    f.substring(0, s), fields.get("state"), bytes(fields.get("from_app")), bytes(fields.get("to_app")),
                    fields.get("retransmits"), fields.get("upstream")));
        }
        return b.toString();
    }

    private static String bytes(String n) {
        long v = Long.parseLong(n);
        if (v < 1024) return v + " B";
        if (v < 1 << 20) return String.format(Locale.ROOT, "%.1f KiB", v / 1024.0);
        return String.format(Locale.ROOT, "%.2f MiB", v / (double) (1 << 20));
    }

    private static void line(StringBuilder b, String key, Object value) {
        b.append(key).append('=').append(value).append('\n');
    }
}
