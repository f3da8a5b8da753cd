package net.braid.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Bytes of encapsulation per packet in one direction, from a capture: each outer UDP payload minus
 * the inner packet it carried. The inner sizes are known (the bench sent them, many of each) and far
 * enough apart that each outer size belongs to one of them. Captures hold ciphertext, so the
 * smallest difference seen at least {@link #REPEATS} times is taken as the bare overhead; larger
 * ones are packets that also carried an ACK or another frame (the median shows how often).
 *
 * @param samples outer datagrams matched to an inner size
 * @param ipv4Udp the outer IPv4 and UDP headers (RFC 791, RFC 768) on top of {@code min}
 */
record MasqueOverhead(String carrier, String direction, List<Integer> innerSizes, int samples, int min, int median,
                      int ipv4Udp, Optional<QuicBreakdown> quic) {
    static final int IPV4_UDP_HEADERS = 20 + 8;
    /** The widest overhead still matched to an inner size: more than any seed estimate (94 B) plus an ACK frame. */
    static final int WINDOW = 160;
    /** How often a difference must occur to count as the bare overhead. */
    static final int REPEATS = 3;

    /** Total bytes the tunnel adds on the wire per packet, below Ethernet. */
    int onWire() {
        return min + ipv4Udp;
    }

    /**
     * Matches outer payload sizes to inner sizes.
     *
     * @return empty when no difference repeated
     */
    static Optional<MasqueOverhead> measure(String carrier, String direction, List<MasquePcap.Datagram> datagrams,
                                            Predicate<MasquePcap.Datagram> selected, List<Integer> innerSizes) {
        List<Integer> diffs = new ArrayList<>();
        for (MasquePcap.Datagram d : datagrams) {
            if (d.fragment() || !selected.test(d)) continue;
            int best = -1;
            for (int inner : innerSizes) {
                int diff = d.payloadLength() - inner;
                if (diff > 0 && diff <= WINDOW && (best < 0 || diff < best)) best = diff;
            }
            if (best > 0) diffs.add(best);
        }
        diffs.sort(null);
        // A lone packet that happens to sit just above an inner size (a HEADERS frame, a stray ping) is not
        // the encapsulation: the smallest difference must repeat.
        int min = -1;
        for (int i = 0; i + REPEATS - 1 < diffs.size(); i++) {
            if (diffs.get(i).equals(diffs.get(i + REPEATS - 1))) {
                min = diffs.get(i);
                break;
            }
        }
        if (min < 0) return Optional.empty();
        return Optional.of(new MasqueOverhead(carrier, direction, List.copyOf(innerSizes), diffs.size(), min,
                diffs.get(diffs.size() / 2), IPV4_UDP_HEADERS, Optional.empty()));
    }

    MasqueOverhead withQuic(QuicBreakdown breakdown) {
        return new MasqueOverhead(carrier, direction, innerSizes, samples, min, median, ipv4Udp, Optional.of(breakdown));
    }

    /** True for a QUIC short-header packet (RFC 9000 §17.3: header form bit 0). */
    static boolean shortHeader(MasquePcap.Datagram d) {
        return d.head().length > 0 && (d.head()[0] & 0x80) == 0;
    }

    /**
     * The connection ID lengths each side puts in its short headers, read from the proxy's first
     * long-header packet (RFC 9000 §17.2: version, DCID length and DCID, SCID length and SCID in
     * clear). The proxy's SCID is what the client sends as DCID; the proxy's DCID is the client's ID.
     *
     * @param fromProxy selects datagrams sent by the proxy
     */
    static Optional<ConnectionIds> connectionIds(List<MasquePcap.Datagram> datagrams, Predicate<MasquePcap.Datagram> fromProxy) {
        for (MasquePcap.Datagram d : datagrams) {
            byte[] h = d.head();
            if (!fromProxy.test(d) || h.length < 7 || (h[0] & 0x80) == 0) continue;
            int version = ((h[1] & 0xff) << 24) | ((h[2] & 0xff) << 16) | ((h[3] & 0xff) << 8) | (h[4] & 0xff);
            if (version == 0) continue; // version negotiation
            int dcidLength = h[5] & 0xff;
            if (h.length < 7 + dcidLength) continue;
            int scidLength = h[6 + dcidLength] & 0xff;
            return Optional.of(new ConnectionIds(scidLength, dcidLength));
        }
        return Optional.empty();
    }

    /** @param toProxy DCID bytes in the client's short headers; @param toClient in the proxy's */
    record ConnectionIds(int toProxy, int toClient) {}

    /**
     * The parts of one QUIC DATAGRAM packet carrying an HTTP Datagram (RFC 9297 §2.1), all known
     * except the packet number's length, which header protection hides (RFC 9001 §5.4): it is what
     * remains of the measured overhead. Assumes DATAGRAM frames with a Length field (type 0x31,
     * RFC 9221 §4), as quiche writes them.
     */
    record QuicBreakdown(int flags, int dcid, int packetNumber, int aeadTag, int frameType, int frameLength,
                         int quarterStreamId, int contextId) {
        static final int FLAGS = 1;
        static final int AEAD_TAG = 16;
        static final int FRAME_TYPE = 1;

        /**
         * @param quicOverhead the measured QUIC payload bytes beyond the inner packet
         * @param innerSize the inner packet, to size the frame's Length varint
         * @param quarterStreamId the request stream's ID / 4 (RFC 9297 §2.1)
         * @param contextId 0 for proxied payloads (RFC 9298 §4, RFC 9484 §6)
         */
        static QuicBreakdown of(int quicOverhead, int dcid, int innerSize, long quarterStreamId, long contextId) {
            int qsid = varintLength(quarterStreamId);
            int ctx = varintLength(contextId);
            int length = varintLength(qsid + ctx + (long) innerSize);
            int known = FLAGS + dcid + AEAD_TAG + FRAME_TYPE + length + qsid + ctx;
            return new QuicBreakdown(FLAGS, dcid, quicOverhead - known, AEAD_TAG, FRAME_TYPE, length, qsid, ctx);
        }

        /** True when the remainder is a possible packet number length (1..4 bytes, RFC 9000 §17.1). */
        boolean consistent() {
            return packetNumber >= 1 && packetNumber <= 4;
        }

        int total() {
            return flags + dcid + packetNumber + aeadTag + frameType + frameLength + quarterStreamId + contextId;
        }
    }

    /** RFC 9000 §16: 1, 2, 4 or 8 bytes. */
    static int varintLength(long v) {
        if (v < 0) throw new IllegalArgumentException("negative varint " + v);
        if (v < 64) return 1;
        if (v < 16384) return 2;
        if (v < (1L << 30)) return 4;
        return 8;
    }
}
