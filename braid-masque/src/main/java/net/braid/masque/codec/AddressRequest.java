package net.braid.masque.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * ADDRESS_REQUEST capsule (RFC 9484 §4.7.2): asks the peer to assign addresses, each request
 * with its own non-zero Request ID, answered by ADDRESS_ASSIGN. A capsule with no Requested
 * Address is malformed.
 *
 * <pre>
 * ADDRESS_REQUEST Capsule {
 *   Type (i) = 0x02,
 *   Length (i),
 *   Requested Address (..) ...,
 * }
 * </pre>
 */
public record AddressRequest(List<RequestedAddress> addresses) implements Capsule {

    public AddressRequest {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) throw new IllegalArgumentException(CapsuleError.EMPTY_ADDRESS_REQUEST.reason());
    }

    public static AddressRequest of(RequestedAddress... addresses) {
        return new AddressRequest(List.of(addresses));
    }

    @Override
    public long type() {
        return CapsuleType.ADDRESS_REQUEST;
    }

    @Override
    public int valueLength() {
        int n = 0;
        for (RequestedAddress a : addresses) n += a.encodedLength();
        return n;
    }

    @Override
    public void writeValue(ByteBuffer dst) {
        for (RequestedAddress a : addresses) a.write(dst);
    }

    /** Decodes a whole Capsule Value: one or more Requested Address entries. */
    public static AddressRequest decode(ByteBuffer value) throws MalformedCapsuleException {
        if (!value.hasRemaining()) throw new MalformedCapsuleException(CapsuleError.EMPTY_ADDRESS_REQUEST, "");
        List<RequestedAddress> list = new ArrayList<>();
        while (value.hasRemaining()) list.add(RequestedAddress.read(value));
        return new AddressRequest(list);
    }
}
