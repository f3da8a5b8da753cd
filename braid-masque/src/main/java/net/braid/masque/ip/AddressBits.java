package net.braid.masque.ip;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import net.braid.config.IpPrefix;

/** Addresses as unsigned numbers, for the control path (pool and route arithmetic); the packet path uses longs. */
final class AddressBits {
    private AddressBits() {}

    static int bits(int version) {
        return version == 4 ? 32 : 128;
    }

    static int version(InetAddress address) {
        return address instanceof Inet4Address ? 4 : 6;
    }

    static int version(IpPrefix prefix) {
        return prefix.isIpv6() ? 6 : 4;
    }

    static BigInteger number(InetAddress address) {
        return new BigInteger(1, address.getAddress());
    }

    /** The first address of the prefix (host bits cleared). */
    static BigInteger first(IpPrefix prefix) {
        return number(prefix.network().address());
    }

    /** The last address of the prefix (host bits set). */
    static BigInteger last(IpPrefix prefix) {
        return first(prefix).add(size(version(prefix), prefix.prefixLength())).subtract(BigInteger.ONE);
    }

    /** Addresses in a prefix of this length. */
    static BigInteger size(int version, int prefixLength) {
        return BigInteger.ONE.shiftLeft(bits(version) - prefixLength);
    }

    static InetAddress address(int version, BigInteger n) {
        byte[] raw = n.toByteArray();
        byte[] b = new byte[version == 4 ? 4 : 16];
        int copy = Math.min(raw.length, b.length);
        System.arraycopy(raw, raw.length - copy, b, b.length - copy, copy);
        try {
            return version == 4 ? InetAddress.getByAddress(b) : Inet6Address.getByAddress(null, b, -1);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    static IpPrefix prefix(int version, BigInteger first, int prefixLength) {
        return IpPrefix.of(address(version, first), prefixLength);
    }

    static InetAddress zero(int version) {
        return address(version, BigInteger.ZERO);
    }

    static boolean isZero(InetAddress address) {
        for (byte b : address.getAddress()) if (b != 0) return false;
        return true;
    }
}
