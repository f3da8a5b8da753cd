package net.braid.masque.codec;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * The wire layout that Assigned Address and Requested Address share (RFC 9484 §4.7.1,
 * §4.7.2): Request ID (i), IP Version (8), IP Address (32..128), IP Prefix Length (8).
 */
record AddressEntry(long requestId, InetAddress address, int prefixLength) {

    static int encodedLength(long requestId, InetAddress address) {
        return QuicVarint.length(requestId) + 1 + address.getAddress().length + 1;
    }

    static void write(ByteBuffer dst, long requestId, InetAddress address, int prefixLength) {
        QuicVarint.write(dst, requestId);
        dst.put((byte) IpField.version(address));
        IpField.writeAddress(dst, address);
        dst.put((byte) prefixLength);
    }

    static AddressEntry read(ByteBuffer src) throws MalformedCapsuleException {
        long requestId = IpField.readRequestId(src);
        int version = IpField.readVersion(src);
        InetAddress address = IpField.readAddress(src, version);
        IpField.need(src, 1, "IP Prefix Length");
        int prefixLength = src.get() & 0xff;
        if (prefixLength > IpField.bits(address)) {
            throw new MalformedCapsuleException(CapsuleError.PREFIX_LENGTH_TOO_LONG,
                    IpField.text(address) + "/" + prefixLength);
        }
        return new AddressEntry(requestId, address, prefixLength);
    }
}
