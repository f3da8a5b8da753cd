package net.braid.masque.codec;

import java.nio.ByteBuffer;

/**
 * Receives the capsules a {@link CapsuleParser} completes, in stream order, on the thread that
 * feeds the parser.
 */
public interface CapsuleHandler {

    /**
     * A DATAGRAM capsule (RFC 9297 §3.5). {@code httpDatagramPayload}'s remaining bytes are the
     * HTTP Datagram Payload (for MASQUE: Context ID, then payload; see {@link HttpDatagram}).
     * The buffer is a view of the parser's input or of its reassembly buffer, valid only
     * during this call: copy what must outlive it. Its position and limit are restored after.
     */
    void onDatagram(ByteBuffer httpDatagramPayload);

    /** An ADDRESS_ASSIGN capsule (RFC 9484 §4.7.1). */
    default void onAddressAssign(AddressAssign capsule) {}

    /** An ADDRESS_REQUEST capsule (RFC 9484 §4.7.2). */
    default void onAddressRequest(AddressRequest capsule) {}

    /** A ROUTE_ADVERTISEMENT capsule (RFC 9484 §4.7.3). */
    default void onRouteAdvertisement(RouteAdvertisement capsule) {}

    /**
     * A capsule the parser skips without buffering: an unknown type (RFC 9297 §3.2 says to
     * drop it silently), or a DATAGRAM longer than the parser's maximum when it discards those
     * (RFC 9297 §3.5). Called when its header is read, before its value has arrived; for
     * counters and logs.
     */
    default void onSkipped(long type, long length) {}
}
