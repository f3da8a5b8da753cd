package net.braid.cli.vpn;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.braid.config.IpPrefix;
import net.braid.masque.codec.IpAddressRange;

/**
 * The routes a kernel understands for the ranges a proxy advertises (RFC 9484 §4.7.3): each
 * inclusive address range as the fewest aligned prefixes that cover exactly it. The IP protocol of
 * a range is not routable; the client session drops packets of other protocols and counts them.
 */
final class RoutePrefixes {
    private RoutePrefixes() {}

    /** Every range's prefixes, without repeats, in the order of the ranges. */
    static List<IpPrefix> of(List<IpAddressRange> ranges) {
        Set<IpPrefix> out = new LinkedHashSet<>();
        for (IpAddressRange r : ranges) out.addAll(of(r.start(), r.end()));
        return List.copyOf(out);
    }

    /** The prefixes covering {@code start..end} inclusive, lowest first. */
    static List<IpPrefix> of(InetAddress start, InetAddress end) {
        int bits = start.getAddress().length * 8;
        BigInteger from = new BigInteger(1, start.getAddress());
        BigInteger to = new BigInteger(1, end.getAddress());
        List<IpPrefix> out = new ArrayList<>();
        while (from.compareTo(to) <= 0) {
            // The largest block aligned at `from` that does not run past `to`.
            int size = from.signum() == 0 ? bits : from.getLowestSetBit();
            while (from.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(to) > 0) size--;
            out.add(IpPrefix.of(address(from, bits), bits - size));
            from = from.add(BigInteger.ONE.shiftLeft(size));
        }
        return out;
    }

    private static InetAddress address(BigInteger value, int bits) {
        byte[] raw = value.toByteArray();
        byte[] fixed = new byte[bits / 8];
        int copy = Math.min(raw.length, fixed.length);
        System.arraycopy(raw, raw.length - copy, fixed, fixed.length - copy, copy);
        try {
            return InetAddress.getByAddress(fixed);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
