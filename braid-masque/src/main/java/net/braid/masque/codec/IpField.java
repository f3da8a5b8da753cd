package net.braid.masque.codec;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The IP Version and IP Address fields shared by the RFC 9484 §4.7 capsules: an 8-bit version
 * (4 or 6) selects a 32- or 128-bit address. IPv6 addresses stay {@link Inet6Address} even when
 * IPv4-mapped, so what is decoded re-encodes to the same bytes.
 */
final class IpField {

    private IpField() {}

    /** 4 or 6. */
    static int version(InetAddress address) {
        return address instanceof Inet4Address ? 4 : 6;
    }

    /** Address length in bits: 32 or 128. */
    static int bits(InetAddress address) {
        return address instanceof Inet4Address ? 32 : 128;
    }

    static int bytesOfVersion(int version) {
        return version == 4 ? 4 : 16;
    }

    /** Refuses what the wire cannot carry: a null address or an IPv6 zone. */
    static InetAddress check(InetAddress address, String field) {
        if (address == null) throw new IllegalArgumentException(field + " is null");
        if (address instanceof Inet6Address a6 && (a6.getScopeId() != 0 || a6.getScopedInterface() != null)) {
            throw new IllegalArgumentException(field + " has an IPv6 zone, which RFC 9484 cannot carry: " + address);
        }
        return address;
    }

    static void checkPrefixLength(InetAddress address, int prefixLength) {
        if (prefixLength < 0 || prefixLength > bits(address)) {
            throw new IllegalArgumentException("IP Prefix Length " + prefixLength + " outside 0.." + bits(address));
        }
    }

    /** Reads the 8-bit IP Version (RFC 9484 §4.7): 4 or 6. */
    static int readVersion(ByteBuffer src) throws MalformedCapsuleException {
        need(src, 1, "IP Version");
        int version = src.get() & 0xff;
        if (version != 4 && version != 6) {
            throw new MalformedCapsuleException(CapsuleError.UNKNOWN_IP_VERSION, "IP Version " + version);
        }
        return version;
    }

    /** Reads a 32- or 128-bit address for {@code version}, or fails when the value ends first. */
    static InetAddress readAddress(ByteBuffer src, int version) throws MalformedCapsuleException {
        byte[] b = new byte[bytesOfVersion(version)];
        need(src, b.length, "IP Address");
        src.get(b);
        try {
            return version == 4 ? InetAddress.getByAddress(b) : Inet6Address.getByAddress(null, b, -1);
        } catch (UnknownHostException impossible) {
            throw new AssertionError("address of " + b.length + " bytes refused", impossible);
        }
    }

    static void writeAddress(ByteBuffer dst, InetAddress address) {
        dst.put(address.getAddress());
    }

    /** Orders two addresses of one family as unsigned big-endian numbers. */
    static int compare(InetAddress a, InetAddress b) {
        return Arrays.compareUnsigned(a.getAddress(), b.getAddress());
    }

    static void need(ByteBuffer src, int bytes, String field) throws MalformedCapsuleException {
        if (src.remaining() < bytes) {
            throw new MalformedCapsuleException(CapsuleError.TRUNCATED_VALUE,
                    field + " needs " + bytes + " bytes, " + src.remaining() + " left");
        }
    }

    static long readRequestId(ByteBuffer src) throws MalformedCapsuleException {
        long id = QuicVarint.read(src);
        if (id == QuicVarint.NEED_MORE) {
            throw new MalformedCapsuleException(CapsuleError.TRUNCATED_VALUE, "Request ID cut short");
        }
        return id;
    }

    static String text(InetAddress address) {
        return address.getHostAddress();
    }
}
