package net.braid.masque.udp;

/**
 * Writes the Proxy-Status field (RFC 9209 §2): a Structured Field List (RFC 8941 §3.1) whose member
 * names this proxy and carries {@code error} and {@code details} parameters, e.g.
 * {@code braid; error=destination_ip_prohibited; details="10.0.0.1 is in 10.0.0.0/8"}.
 */
public final class ProxyStatus {
    /** The field name (RFC 9209 §2). */
    public static final String FIELD = "proxy-status";
    /** This proxy's name in the field: an sf-token. */
    public static final String PROXY_NAME = "braid";

    private ProxyStatus() {}

    public static String of(ProxyError error, String details) {
        var out = new StringBuilder(PROXY_NAME).append("; error=").append(error.token());
        if (details != null && !details.isEmpty()) {
            out.append("; details=");
            quote(details, out);
        }
        return out.toString();
    }

    /** An sf-string (RFC 8941 §3.3.3): printable ASCII, with '"' and '\' escaped; anything else becomes '?'. */
    private static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        out.append('"');
    }

    /** The error type of a Proxy-Status value written by {@link #of}, or null if it has none. */
    public static String errorOf(String fieldValue) {
        if (fieldValue == null) return null;
        for (String parameter : fieldValue.split(";")) {
            String p = parameter.strip();
            if (p.startsWith("error=")) return p.substring("error=".length());
        }
        return null;
    }
}
