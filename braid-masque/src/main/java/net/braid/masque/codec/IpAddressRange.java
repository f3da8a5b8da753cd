package net.braid.masque.codec;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * One IP Address Range of a ROUTE_ADVERTISEMENT capsule (RFC 9484 §4.7.3): the sender routes
 * {@code start..end} (inclusive) for one IP protocol, or for all when {@code ipProtocol} is 0.
 *
 * <pre>
 * IP Address Range {
 *   IP Version (8),
 *   Start IP Address (32..128),
 *   End IP Address (32..128),
 *   IP Protocol (8),
 * }
 * </pre>
 */
public record IpAddressRange(InetAddress start, InetAddress end, int ipProtocol) {

    /** IP Protocol 0: the range is routed for every protocol (RFC 9484 §4.7.3). */
    public static final int ALL_PROTOCOLS = 0;

    public IpAddressRange {
        IpField.check(start, "Start IP Address");
        IpField.check(end, "End IP Address");
        if (IpField.version(start) != IpField.version(end)) {
            throw new IllegalArgumentException("Start and End IP Address of different families: " + start + ", " + end);
        }
        if (IpField.compare(start, end) > 0) {
            throw new IllegalArgumentException(CapsuleError.RANGE_START_AFTER_END.reason() + ": " + rangeText(start, end));
        }
        if (ipProtocol < 0 || ipProtocol > 255) {
            throw new IllegalArgumentException("IP Protocol out of range 0..255: " + ipProtocol);
        }
    }

    /** 4 or 6. */
    public int ipVersion() {
        return IpField.version(start);
    }

    int encodedLength() {
        return 1 + 2 * start.getAddress().length + 1;
    }

    void write(ByteBuffer dst) {
        dst.put((byte) ipVersion());
        IpField.writeAddress(dst, start);
        IpField.writeAddress(dst, end);
        dst.put((byte) ipProtocol);
    }

    static IpAddressRange read(ByteBuffer src) throws MalformedCapsuleException {
        int version = IpField.readVersion(src);
        InetAddress start = IpField.readAddress(src, version);
        InetAddress end = IpField.readAddress(src, version);
        IpField.need(src, 1, "IP Protocol");
        int protocol = src.get() & 0xff;
        if (IpField.compare(start, end) > 0) {
            throw new MalformedCapsuleException(CapsuleError.RANGE_START_AFTER_END, rangeText(start, end));
        }
        return new IpAddressRange(start, end, protocol);
    }

    private static String rangeText(InetAddress start, InetAddress end) {
        return IpField.text(start) + "-" + IpField.text(end);
    }

    @Override
    public String toString() {
        return rangeText(start, end) + " proto " + (ipProtocol == ALL_PROTOCOLS ? "any" : ipProtocol);
    }
}
