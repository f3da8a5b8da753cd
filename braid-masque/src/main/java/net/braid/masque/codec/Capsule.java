package net.braid.masque.codec;

import java.nio.ByteBuffer;

/**
 * A capsule this package understands (RFC 9297 §3.2: Type, Length, Value). Each knows its type
 * and writes its own value; {@link CapsuleWriter} adds the Type and Length in front.
 */
public sealed interface Capsule permits DatagramCapsule, AddressAssign, AddressRequest, RouteAdvertisement {

    /** The Capsule Type, see {@link CapsuleType}. */
    long type();

    /** The Capsule Length: bytes of {@link #writeValue}'s output. */
    int valueLength();

    /** Writes the Capsule Value at the position of {@code dst} and advances. */
    void writeValue(ByteBuffer dst);
}
