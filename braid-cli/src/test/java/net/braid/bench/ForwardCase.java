package net.braid.bench;

import java.util.OptionalInt;

/**
 * One case of {@code bench/forward}: what carries the iperf3 flow from the client namespace to the
 * server namespace, over a link of {@code linkMtu}, with an explicit QUIC payload size or braid's default.
 */
record ForwardCase(Carrier carrier, int linkMtu, OptionalInt quicPayload) {

    /** The ways the flow can travel; every carrier but DIRECT is a braid forwarder on each side. */
    enum Carrier {
        DIRECT("direct"),
        TCP("tcp→tcp"),
        QUIC("tcp→quic→tcp"),
        WS("tcp→ws→tcp");

        private final String label;

        Carrier(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }

        /** The scheme of the link-crossing hop between the two forwarders. */
        String scheme() {
            return switch (this) {
                case DIRECT -> throw new IllegalStateException("direct has no forwarders");
                case TCP -> "tcp";
                case QUIC -> "quic";
                case WS -> "ws";
            };
        }
    }

    ForwardCase {
        if (quicPayload.isPresent() && carrier != Carrier.QUIC) {
            throw new IllegalArgumentException("a QUIC payload size only applies to tcp→quic→tcp");
        }
    }

    static ForwardCase of(Carrier carrier, int linkMtu) {
        return new ForwardCase(carrier, linkMtu, OptionalInt.empty());
    }

    static ForwardCase quic(int linkMtu, int payload) {
        return new ForwardCase(Carrier.QUIC, linkMtu, OptionalInt.of(payload));
    }

    String label() {
        return carrier.label() + (quicPayload.isPresent() ? " payload " + quicPayload.getAsInt() : "");
    }
}
