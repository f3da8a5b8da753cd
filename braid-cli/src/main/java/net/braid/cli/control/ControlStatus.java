package net.braid.cli.control;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.braid.cli.interpose.InterposeStatusLines;
import net.braid.tunnel.PathInfo;
import net.braid.tunnel.PeerStatus;
import net.braid.tunnel.ReorderInfo;
import net.braid.tunnel.Tunnel;
import net.braid.tunnel.TunnelStats;

/**
 * The control socket's text: {@code key=value} lines, the interface first, then one block per
 * peer starting with {@code peer=}. Stable for scripts; {@link #render} makes it readable.
 */
public final class ControlStatus {
    private ControlStatus() {}

    public static String of(String name, Tunnel t) {
        StringBuilder b = new StringBuilder();
        line(b, "interface", name);
        line(b, "public_key", t.publicKeyBase64());
        line(b, "listen_port", t.listenPort());
        TunnelStats s = t.stats();
        line(b, "dropped_junk", s.junk.get());
        line(b, "dropped_handshake_rejected", s.handshakeRejected.get());
        line(b, "dropped_handshake_replayed", s.handshakeReplayed.get());
        line(b, "dropped_unknown_session", s.unknownSession.get());
        line(b, "dropped_auth_failed", s.authFailed.get());
        line(b, "dropped_replayed", s.replayed.get());
        line(b, "dropped_bad_inner", s.badInner.get());
        line(b, "dropped_no_route", s.noRoute.get());
        line(b, "dropped_queue_full", s.queueDropped.get());
        line(b, "dropped_too_big", s.tooBig.get());
        line(b, "send_errors", s.sendErrors.get());
        for (PeerStatus p : t.peerStatus()) {
            line(b, "peer", p.publicKey());
            line(b, "endpoint", p.endpoint() == null ? "" : p.endpoint());
            line(b, "allowed_ips", String.join(",", p.allowedIps()));
            line(b, "last_handshake", p.lastHandshake() == null ? 0 : p.lastHandshake().toEpochMilli());
            line(b, "rx_bytes", p.rxBytes());
            line(b, "tx_bytes", p.txBytes());
            for (PathInfo path : p.paths()) {
                String k = "path." + path.id() + ".";
                line(b, k + "endpoint", path.endpoint() == null ? "" : path.endpoint());
                line(b, k + "metric", path.metric());
                line(b, k + "state", path.state());
                line(b, k + "srtt_us", path.srttMicros());
                line(b, k + "min_rtt_us", path.minRttMicros());
                line(b, k + "cwnd_bytes", path.cwndBytes());
                line(b, k + "inflight_bytes", path.inFlightBytes());
                line(b, k + "pacing_bps", path.pacingRate() * 8);
                line(b, k + "delivery_bps", path.deliveryRate() * 8);
                line(b, k + "lost_packets", path.packetsLost());
                line(b, k + "late_packets", path.latePackets());
                line(b, k + "rx_bytes", path.rxBytes());
                line(b, k + "tx_bytes", path.txBytes());
            }
            ReorderInfo r = p.reorder();
            if (r != null) {
                line(b, "reorder.timeout_us", r.timeoutMicros());
                line(b, "reorder.held_packets", r.heldPackets());
                line(b, "reorder.waited", r.waited());
                line(b, "reorder.timed_out", r.timedOut());
                line(b, "reorder.capped", r.capped());
                line(b, "reorder.late", r.late());
            }
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String key, Object value) {
        b.append(key).append('=').append(value).append('\n');
    }

    /** Parses the text back into the interface's map and one map per peer. */
    public static List<Map<String, String>> parse(String text) {
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        blocks.add(current);
        for (String l : text.split("\n")) {
            int eq = l.indexOf('=');
            if (eq < 0) continue;
            String k = l.substring(0, eq);
            if (k.equals("peer")) {
                current = new LinkedHashMap<>();
                blocks.add(current);
            }
            current.put(k, l.substring(eq + 1));
        }
        return blocks;
    }

    /** Human-readable, in the spirit of {@code wg show}. */
    public static String render(String text, Instant now) {
        if (InterposeStatusLines.isInterpose(text)) return InterposeStatusLines.render(text);
        List<Map<String, String>> blocks = parse(text);
        Map<String, String> iface = blocks.getFirst();
        StringBuilder b = new StringBuilder();
        b.append("interface: ").append(iface.get("interface")).append('\n');
        b.append("  public key: ").append(iface.get("public_key")).append('\n');
        b.append("  listening port: ").append(iface.get("listen_port")).append('\n');
        StringBuilder drops = new StringBuilder();
        for (var e : iface.entrySet()) {
            if ((e.getKey().startsWith("dropped_") || e.getKey().equals("send_errors")) && !e.getValue().equals("0")) {
                drops.append(drops.isEmpty() ? "" : ", ").append(e.getKey().replace("dropped_", "").replace('_', ' '))
                        .append(' ').append(e.getValue());
            }
        }
        b.append("  dropped: ").append(drops.isEmpty() ? "none" : drops).append('\n');
        for (Map<String, String> p : blocks.subList(1, blocks.size())) {
            b.append('\n').append("peer: ").append(p.get("peer")).append('\n');
            String ep = p.get("endpoint");
            b.append("  endpoint: ").append(ep == null || ep.isEmpty() ? "(none yet)" : ep).append('\n');
            b.append("  allowed ips: ").append(p.get("allowed_ips")).append('\n');
            long hs = Long.parseLong(p.getOrDefault("last_handshake", "0"));
            b.append("  latest handshake: ").append(hs == 0 ? "never"
                    : ago(Duration.between(Instant.ofEpochMilli(hs), now))).append('\n');
            b.append("  transfer: ").append(bytes(Long.parseLong(p.get("rx_bytes")))).append(" received, ")
                    .append(bytes(Long.parseLong(p.get("tx_bytes")))).append(" sent\n");
            for (String id : pathIds(p)) {
                String k = "path." + id + ".";
                String pathEndpoint = p.get(k + "endpoint");
                b.append("  path ").append(id).append(": ").append(p.get(k + "state"))
                        .append(", ").append(pathEndpoint == null || pathEndpoint.isEmpty() ? "(endpoint not known yet)" : pathEndpoint)
                        .append(", metric ").append(p.get(k + "metric")).append('\n');
                b.append("    rtt ").append(String.format("%.1f ms", Long.parseLong(p.get(k + "srtt_us")) / 1000.0));
                // min RTT, in flight and late arrived later than the other keys: older portals lack them.
                if (p.containsKey(k + "min_rtt_us")) {
                    b.append(String.format(" (min %.1f ms)", Long.parseLong(p.get(k + "min_rtt_us")) / 1000.0));
                }
                b.append(", cwnd ").append(bytes(Long.parseLong(p.get(k + "cwnd_bytes"))));
                if (p.containsKey(k + "inflight_bytes")) {
                    b.append(", in flight ").append(bytes(Long.parseLong(p.get(k + "inflight_bytes"))));
                }
                b.append(", rate ").append(rate(Long.parseLong(p.get(k + "delivery_bps"))))
                        .append(", lost ").append(p.get(k + "lost_packets")).append(" packets");
                if (p.containsKey(k + "late_packets")) b.append(", late ").append(p.get(k + "late_packets"));
                b.append(", transfer ").append(bytes(Long.parseLong(p.get(k + "rx_bytes")))).append(" received, ")
                        .append(bytes(Long.parseLong(p.get(k + "tx_bytes")))).append(" sent\n");
            }
            if (p.containsKey("reorder.timeout_us")) {
                b.append("  reorder: wait ").append(String.format("%.1f ms", Long.parseLong(p.get("reorder.timeout_us")) / 1000.0))
                        .append(", holding ").append(p.get("reorder.held_packets"))
                        .append(", gaps filled ").append(p.get("reorder.waited"))
                        .append(", timed out ").append(p.get("reorder.timed_out"))
                        .append(", capped ").append(p.get("reorder.capped"))
                        .append(", late ").append(p.get("reorder.late")).append('\n');
            }
        }
        return b.toString();
    }

    /** The path ids in a peer block, in the order they appear. */
    private static List<String> pathIds(Map<String, String> peer) {
        List<String> ids = new ArrayList<>();
        for (String key : peer.keySet()) {
            if (key.startsWith("path.") && key.endsWith(".state")) ids.add(key.substring(5, key.length() - 6));
        }
        return ids;
    }

    private static String rate(long bitsPerSecond) {
        if (bitsPerSecond >= 1_000_000) return String.format("%.1f Mbit/s", bitsPerSecond / 1e6);
        return String.format("%.0f kbit/s", bitsPerSecond / 1e3);
    }

    private static String ago(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) return s + " seconds ago";
        if (s < 3600) return (s / 60) + " minutes, " + (s % 60) + " seconds ago";
        return (s / 3600) + " hours, " + (s % 3600 / 60) + " minutes ago";
    }

    static String bytes(long n) {
        if (n < 1024) return n + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.2f %s", v, units[u]);
    }
}
