package net.braid.masque.codec;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * One Assigned Address of an ADDRESS_ASSIGN capsule (RFC 9484 §4.7.1): the receiver may send
 * from any address in {@code address/prefixLength}.
 *
 * <pre>
 * Assigned Address {
 *   Request ID (i),
 *   IP Version (8),
 *   IP Address (32..128),
 *   IP Prefix Length (8),
 * }
 * </pre>
 *
 * @param requestId the ADDRESS_REQUEST this answers, or 0 when unsolicited
 */
public record AssignedAddress(long requestId, InetAddress address, int prefixLength) {

    public AssignedAddress {
        if (requestId < 0 || requestId > QuicVarint.MAX) {
            throw new IllegalArgumentException("Request ID out of range 0..2^62-1: " + requestId);
        }
        IpField.check(address, "IP Address");
        IpField.checkPrefixLength(address, prefixLength);
    }

    int encodedLength() {
        return AddressEntry.encodedLength(requestId, address);
    }

    void write(ByteBuffer dst) {
        AddressEntry.write(dst, requestId, address, prefixLength);
    }

    static AssignedAddress read(ByteBuffer src) throws MalformedCapsuleException {
        AddressEntry e = AddressEntry.read(src);
        return new AssignedAddress(e.requestId(), e.address(), e.prefixLength());
    }

    @Override
    public String toString() {
        return IpField.text(address) + "/" + prefixLength + " (request " + requestId + ")";
    }
}
