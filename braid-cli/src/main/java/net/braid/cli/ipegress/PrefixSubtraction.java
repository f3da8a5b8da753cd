package net.braid.cli.ipegress;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import net.braid.config.IpPrefix;

/** Prefixes minus prefixes, as prefixes: what is left of a deny list once allowed ranges are cut out of it. */
final class PrefixSubtraction {
    private PrefixSubtraction() {}

    /** The addresses of {@code from} not in {@code cut}, as the fewest prefixes halving finds. */
    static List<IpPrefix> minus(List<IpPrefix> from, List<IpPrefix> cut) {
        List<IpPrefix> out = new ArrayList<>();
        for (IpPrefix p : from) minus(p.network(), cut, out);
        return out;
    }

    private static void minus(IpPrefix p, List<IpPrefix> cut, List<IpPrefix> out) {
        boolean overlaps = false;
        for (IpPrefix c : cut) {
            if (c.isIpv6() != p.isIpv6() || !c.overlaps(p)) continue;
            if (c.prefixLength() <= p.prefixLength()) return; // wholly cut
            overlaps = true;
        }
        if (!overlaps) {
            out.add(p);
            return;
        }
        int bits = p.isIpv6() ? 128 : 32;
        int length = p.prefixLength() + 1;
        BigInteger low = new BigInteger(1, p.address().getAddress());
        BigInteger high = low.setBit(bits - length);
        minus(IpPrefix.of(address(low, bits), length), cut, out);
        minus(IpPrefix.of(address(high, bits), length), cut, out);
    }

    private static InetAddress address(BigInteger value, int bits) {
        byte[] raw = value.toByteArray();
        byte[] fixed = new byte[bits / 8];
        int copy = Math.min(raw.length, fixed.length);
        System.arraycopy(raw, raw.length - copy, fixed, fixed.length - copy, copy);
        try {
            return InetAddress.getByAddress(fixed);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // 4 or 16 bytes
        }
    }
}
