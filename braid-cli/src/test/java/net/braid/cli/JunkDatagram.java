package net.braid.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.braid.crypto.Handshake;
import net.braid.tunnel.DataHeader;

/**
 * A datagram that is no valid braid message, and the counter a portal must charge it to,
 * following the receive rules of {@link net.braid.tunnel.Tunnel}: the first byte is the type,
 * each type has fixed or bounded lengths, and data needs a session index the portal handed out.
 */
record JunkDatagram(byte[] bytes, Verdict verdict) {

    enum Verdict {
        /** Too short, unknown type, or a length the type cannot have: {@code dropped_junk}. */
        JUNK,
        /** Handshake-sized but failing the MAC or naming no pending handshake: {@code dropped_handshake_rejected}. */
        HANDSHAKE_REJECTED,
        /** Data-sized with a random receiver index: {@code dropped_unknown_session} (or, if the index hit a session, auth_failed). */
        NO_SESSION
    }

    /** Largest UDP payload that fits a 1500-byte IPv4 link unfragmented. */
    static final int MAX_LENGTH = 1472;

    /** {@code count} datagrams of random types and lengths for a portal whose TUN MTU is {@code mtu}. */
    static List<JunkDatagram> generate(Random random, int count, int mtu) {
        List<JunkDatagram> out = new ArrayList<>(count);
        byte[] types = {Handshake.TYPE_INITIATION, Handshake.TYPE_RESPONSE, DataHeader.TYPE_DATA, DataHeader.TYPE_CONTROL};
        for (int i = 0; i < count; i++) {
            int pick = random.nextInt(6);
            byte type = pick < types.length ? types[pick] : (byte) random.nextInt(256);
            int length = switch (type) {
                case Handshake.TYPE_INITIATION -> random.nextBoolean() ? Handshake.INITIATION_BYTES : random.nextInt(MAX_LENGTH + 1);
                case Handshake.TYPE_RESPONSE -> random.nextBoolean() ? Handshake.RESPONSE_BYTES : random.nextInt(MAX_LENGTH + 1);
                default -> random.nextInt(10) == 0 ? random.nextInt(4) : random.nextInt(MAX_LENGTH + 1);
            };
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            if (length > 0) bytes[0] = type;
            out.add(new JunkDatagram(bytes, classify(bytes, mtu)));
        }
        return out;
    }

    static Verdict classify(byte[] bytes, int mtu) {
        int n = bytes.length;
        if (n < 4) return Verdict.JUNK;
        return switch (bytes[0]) {
            case Handshake.TYPE_INITIATION -> n == Handshake.INITIATION_BYTES ? Verdict.HANDSHAKE_REJECTED : Verdict.JUNK;
            case Handshake.TYPE_RESPONSE -> n == Handshake.RESPONSE_BYTES ? Verdict.HANDSHAKE_REJECTED : Verdict.JUNK;
            case DataHeader.TYPE_DATA, DataHeader.TYPE_CONTROL ->
                    n >= DataHeader.OVERHEAD && n <= mtu + DataHeader.OVERHEAD ? Verdict.NO_SESSION : Verdict.JUNK;
            default -> Verdict.JUNK;
        };
    }
}
