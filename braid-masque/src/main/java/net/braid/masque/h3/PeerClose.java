package net.braid.masque.h3;

import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import java.nio.charset.StandardCharsets;

/** Words for the CONNECTION_CLOSE a peer sent, so a refused handshake reads as the TLS alert behind it. */
final class PeerClose {
    private PeerClose() {}

    /** E.g. "TLS alert 116 certificate_required: the server requires a client certificate from a CA it trusts". */
    static String describe(QuicConnectionCloseEvent close) {
        byte[] raw;
        try {
            raw = close.reason();
        } catch (NullPointerException noReason) { // Netty clones a null reason when the peer gave none
            raw = new byte[0];
        }
        String reason = new String(raw, StandardCharsets.UTF_8);
        String text;
        if (close.isTlsError()) {
            // A crypto error is 0x0100 plus the TLS alert (RFC 9001 §4.8); alerts from RFC 8446 §6.
            int alert = QuicConnectionCloseEvent.extractTlsError(close.error());
            text = "TLS alert " + alert + " " + switch (alert) {
                case 40 -> "handshake_failure";
                case 42 -> "bad_certificate: the server refused the client certificate";
                case 43 -> "unsupported_certificate: the server refused the client certificate";
                case 45 -> "certificate_expired: the server refused the client certificate";
                case 46 -> "certificate_unknown: the server refused the client certificate";
                case 48 -> "unknown_ca: the server trusts no CA of the client certificate";
                case 116 -> "certificate_required: the server requires a client certificate from a CA it trusts";
                case 120 -> "no_application_protocol";
                default -> "(RFC 8446 §6)";
            };
        } else {
            text = (close.isApplicationClose() ? "application error 0x" : "transport error 0x") + Integer.toHexString(close.error());
        }
        return reason.isEmpty() ? text : text + " (" + reason + ")";
    }
}
