package net.braid.masque.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * ROUTE_ADVERTISEMENT capsule (RFC 9484 §4.7.3): the full list of ranges the sender routes,
 * replacing any earlier advertisement. The ranges are ordered so a receiver checks them in one
 * pass: for each range A before B, A's IP Version ≤ B's; with equal versions A's IP Protocol ≤
 * B's; with both equal, A's End IP Address &lt; B's Start IP Address (no overlap).
 *
 * <pre>
 * ROUTE_ADVERTISEMENT Capsule {
 *   Type (i) = 0x03,
 *   Length (i),
 *   IP Address Range (..) ...,
 * }
 * </pre>
 */
public record RouteAdvertisement(List<IpAddressRange> ranges) implements Capsule {

    public RouteAdvertisement {
        ranges = List.copyOf(ranges);
        String disorder = disorder(ranges);
        if (disorder != null) {
            throw new IllegalArgumentException(CapsuleError.RANGES_OUT_OF_ORDER.reason() + ": " + disorder);
        }
    }

    public static RouteAdvertisement of(IpAddressRange... ranges) {
        return new RouteAdvertisement(List.of(ranges));
    }

    @Override
    public long type() {
        return CapsuleType.ROUTE_ADVERTISEMENT;
    }

    @Override
    public int valueLength() {
        int n = 0;
        for (IpAddressRange r : ranges) n += r.encodedLength();
        return n;
    }

    @Override
    public void writeValue(ByteBuffer dst) {
        for (IpAddressRange r : ranges) r.write(dst);
    }

    /** Decodes a whole Capsule Value and checks the ordering rules of RFC 9484 §4.7.3. */
    public static RouteAdvertisement decode(ByteBuffer value) throws MalformedCapsuleException {
        List<IpAddressRange> list = new ArrayList<>();
        while (value.hasRemaining()) list.add(IpAddressRange.read(value));
        String disorder = disorder(list);
        if (disorder != null) throw new MalformedCapsuleException(CapsuleError.RANGES_OUT_OF_ORDER, disorder);
        return new RouteAdvertisement(list);
    }

    /**
     * Names the first adjacent pair that breaks RFC 9484 §4.7.3, or null. Adjacent pairs
     * suffice: each rule is transitive, so an ordered list satisfies them for every pair.
     */
    private static String disorder(List<IpAddressRange> ranges) {
        for (int i = 1; i < ranges.size(); i++) {
            IpAddressRange a = ranges.get(i - 1);
            IpAddressRange b = ranges.get(i);
            boolean ordered;
            if (a.ipVersion() != b.ipVersion()) {
                ordered = a.ipVersion() < b.ipVersion();
            } else if (a.ipProtocol() != b.ipProtocol()) {
                ordered = a.ipProtocol() < b.ipProtocol();
            } else {
                ordered = IpField.compare(a.end(), b.start()) < 0;
            }
            if (!ordered) return "range " + i + " (" + a + ") then range " + (i + 1) + " (" + b + ")";
        }
        return null;
    }
}
