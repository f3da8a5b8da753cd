package net.braid.masque.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * ADDRESS_ASSIGN capsule (RFC 9484 §4.7.1): the full set of addresses the sender assigns to
 * its peer; an address missing from the latest capsule is withdrawn, and an empty capsule
 * withdraws them all.
 *
 * <pre>
 * ADDRESS_ASSIGN Capsule {
 *   Type (i) = 0x01,
 *   Length (i),
 *   Assigned Address (..) ...,
 * }
 * </pre>
 */
public record AddressAssign(List<AssignedAddress> addresses) implements Capsule {

    public AddressAssign {
        addresses = List.copyOf(addresses);
    }

    public static AddressAssign of(AssignedAddress... addresses) {
        return new AddressAssign(List.of(addresses));
    }

    @Override
    public long type() {
        return CapsuleType.ADDRESS_ASSIGN;
    }

    @Override
    public int valueLength() {
        int n = 0;
        for (AssignedAddress a : addresses) n += a.encodedLength();
        return n;
    }

    @Override
    public void writeValue(ByteBuffer dst) {
        for (AssignedAddress a : addresses) a.write(dst);
    }

    /** Decodes a whole Capsule Value: Assigned Address entries until the value ends. */
    public static AddressAssign decode(ByteBuffer value) throws MalformedCapsuleException {
        List<AssignedAddress> list = new ArrayList<>();
        while (value.hasRemaining()) list.add(AssignedAddress.read(value));
        return new AddressAssign(list);
    }
}
