package net.braid.masque.codec;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * One Requested Address of an ADDRESS_REQUEST capsule (RFC 9484 §4.7.2), laid out like an
 * Assigned Address. An all-zero address asks for any address of that family; the prefix length
 * says how large a prefix is wanted.
 *
 * @param requestId identifies the request, never 0 (RFC 9484 §4.7.2)
 */
public record RequestedAddress(long requestId, InetAddress address, int prefixLength) {

    public RequestedAddress {
        if (requestId < 1 || requestId > QuicVarint.MAX) {
            throw new IllegalArgumentException("Request ID out of range 1..2^62-1: " + requestId);
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

    static RequestedAddress read(ByteBuffer src) throws MalformedCapsuleException {
        AddressEntry e = AddressEntry.read(src);
        if (e.requestId() == 0) {
            throw new MalformedCapsuleException(CapsuleError.ZERO_REQUEST_ID,
                    "for " + IpField.text(e.address()) + "/" + e.prefixLength());
        }
        return new RequestedAddress(e.requestId(), e.address(), e.prefixLength());
    }

    @Override
    public String toString() {
        return IpField.text(address) + "/" + prefixLength + " (request " + requestId + ")";
    }
}
