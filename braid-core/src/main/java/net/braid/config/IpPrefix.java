package net.braid.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address with a prefix length, such as {@code 198.18.0.1/24} or
 * {@code 2001:db8::/32}. The address keeps its host bits, because an interface Address needs
 * them; {@link #network()} clears them. {@link #toString()} is the canonical text: dotted quad,
 * or RFC 5952 for IPv6 (lower case, longest zero run as {@code ::}).
 *
 * <p>A value class rather than a record: the route lookup on the packet path needs the mask and
 * network precomputed, and {@link #containsV4}/{@link #containsV6} compare plain integers so
 * they never allocate.
 */
public final class IpPrefix {

    private final boolean ipv6;
    // Address bits as given, big-endian: IPv6 bits 0..63 in hi and 64..127 in lo;
    // IPv4 in the low 32 bits of lo with hi = 0.
    private final long hi;
    private final long lo;
    private final int length;
    private final long maskHi;
    private final long maskLo;
    private final long netHi;
    private final long netLo;

    private IpPrefix(boolean ipv6, long hi, long lo, int length) {
        int max = ipv6 ? 128 : 32;
        if (length < 0 || length > max) {
            throw new InvalidValueException("prefix length max " + max + " for " + (ipv6 ? "IPv6" : "IPv4"),
                    String.valueOf(length));
        }
        this.ipv6 = ipv6;
        this.hi = hi;
        this.lo = ipv6 ? lo : lo & 0xFFFF_FFFFL;
        this.length = length;
        if (ipv6) {
            maskHi = leadingOnes(Math.min(length, 64));
            maskLo = leadingOnes(Math.max(length - 64, 0));
        } else {
            maskHi = 0;
            maskLo = leadingOnes(length) >>> 32;
        }
        netHi = this.hi & maskHi;
        netLo = this.lo & maskLo;
    }

    /** A long whose top {@code n} bits (0..64) are set. */
    private static long leadingOnes(int n) {
        return n == 0 ? 0 : -1L << (64 - n);
    }

    /** An IPv4 prefix; {@code address} is big-endian as it appears in a packet header. */
    public static IpPrefix ofV4(int address, int length) {
        return new IpPrefix(false, 0, address, length);
    }

    /** An IPv6 prefix from the address's first and last 64 bits, big-endian. */
    public static IpPrefix ofV6(long hi, long lo, int length) {
        return new IpPrefix(true, hi, lo, length);
    }

    public static IpPrefix of(InetAddress address, int length) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return ofV4((int) bits(b, 0, 4), length);
        }
        return ofV6(bits(b, 0, 8), bits(b, 8, 8), length);
    }

    /** The whole address: /32 or /128. */
    public static IpPrefix host(InetAddress address) {
        return of(address, address instanceof Inet4Address ? 32 : 128);
    }

    private static long bits(byte[] b, int from, int count) {
        long v = 0;
        for (int i = from; i < from + count; i++) {
            v = v << 8 | (b[i] & 0xFF);
        }
        return v;
    }

    /**
     * Parses {@code address[/length]}; without a length the prefix is the whole address. Only
     * literals are accepted, so this never asks DNS.
     *
     * @throws InvalidValueException naming the broken rule, with the whole text as given
     */
    public static IpPrefix parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String addressText = slash < 0 ? s : s.substring(0, slash);
        InetAddress address = parseAddress(addressText, text);
        boolean v6 = address instanceof Inet6Address;
        int max = v6 ? 128 : 32;
        int length = max;
        if (slash >= 0) {
            String lengthText = s.substring(slash + 1);
            if (!lengthText.matches("[0-9]{1,3}")) {
                throw new InvalidValueException("prefix length must be a whole number", text);
            }
            length = Integer.parseInt(lengthText);
            if (length > max) {
                throw new InvalidValueException("prefix length max " + max + " for " + (v6 ? "IPv6" : "IPv4"), text);
            }
        }
        return of(address, length);
    }

    /**
     * Parses an IPv4 dotted quad or an IPv6 literal without brackets or zone; {@code given} is
     * what error messages quote.
     */
    static InetAddress parseAddress(String s, String given) {
        if (s.indexOf(':') < 0) {
            long v4 = parseV4(s);
            if (v4 < 0) {
                throw new InvalidValueException("IP address expected, like 198.18.0.1 or 2001:db8::1", given);
            }
            return v4Address((int) v4);
        }
        if (s.indexOf('%') >= 0) {
            throw new InvalidValueException("IPv6 zone index not allowed", given);
        }
        if (s.indexOf('[') >= 0 || s.indexOf(']') >= 0) {
            throw new InvalidValueException("IP address expected without brackets", given);
        }
        InetAddress address;
        try {
            address = Inet6Address.ofLiteral(s);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException("IP address expected, like 198.18.0.1 or 2001:db8::1", given);
        }
        if (address instanceof Inet4Address) {
            // The JDK turns ::ffff:a.b.c.d into an IPv4 address; say so rather than change family.
            throw new InvalidValueException("IPv4-mapped IPv6 address not allowed; write the IPv4 form", given);
        }
        return address;
    }

    /** Strict dotted quad (no octal, no short forms), or -1 for anything else. */
    static long parseV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return -1;
        }
        long v = 0;
        for (String p : parts) {
            if (!p.matches("0|[1-9][0-9]{0,2}")) {
                return -1;
            }
            int octet = Integer.parseInt(p);
            if (octet > 255) {
                return -1;
            }
            v = v << 8 | octet;
        }
        return v;
    }

    private static InetAddress v4Address(int v) {
        return byAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    private static InetAddress byAddress(byte[] b) {
        try {
            return InetAddress.getByAddress(b); // no lookup: the bytes are the address
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    public InetAddress address() {
        if (!ipv6) {
            return v4Address((int) lo);
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return byAddress(b);
    }

    public int prefixLength() {
        return length;
    }

    public boolean isIpv6() {
        return ipv6;
    }

    public boolean isIpv4() {
        return !ipv6;
    }

    /** The same prefix with the host bits cleared, e.g. 198.18.0.1/24 → 198.18.0.0/24. */
    public IpPrefix network() {
        return hi == netHi && lo == netLo ? this : new IpPrefix(ipv6, netHi, netLo, length);
    }

    /** Whether the host bits are all zero. */
    public boolean isNetwork() {
        return hi == netHi && lo == netLo;
    }

    /** Route lookup for an IPv4 destination read straight from a header, big-endian. Never allocates. */
    public boolean containsV4(int address) {
        return !ipv6 && ((address & 0xFFFF_FFFFL) & maskLo) == netLo;
    }

    /** Route lookup for an IPv6 destination given as its two big-endian halves. Never allocates. */
    public boolean containsV6(long addressHi, long addressLo) {
        return ipv6 && (addressHi & maskHi) == netHi && (addressLo & maskLo) == netLo;
    }

    /** Whether {@code address} lies in this prefix; an address of the other family never does. */
    public boolean contains(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return containsV4((int) bits(b, 0, 4));
        }
        return containsV6(bits(b, 0, 8), bits(b, 8, 8));
    }

    /** Whether some address lies in both prefixes, i.e. the shorter one contains the other. */
    public boolean overlaps(IpPrefix other) {
        if (ipv6 != other.ipv6) {
            return false;
        }
        IpPrefix shorter = length <= other.length ? this : other;
        return (other.hi & shorter.maskHi) == (hi & shorter.maskHi)
                && (other.lo & shorter.maskLo) == (lo & shorter.maskLo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.ipv6 == ipv6 && p.hi == hi && p.lo == lo && p.length == length;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi * 31 + lo) * 31 + length * 2 + (ipv6 ? 1 : 0);
    }

    @Override
    public String toString() {
        return addressText() + "/" + length;
    }

    /** The address alone in canonical text. */
    public String addressText() {
        if (!ipv6) {
            return (lo >>> 24 & 0xFF) + "." + (lo >>> 16 & 0xFF) + "." + (lo >>> 8 & 0xFF) + "." + (lo & 0xFF);
        }
        return formatV6(hi, lo);
    }

    /** RFC 5952 section 4: lower-case hex, no leading zeros, the longest (first) run of two or more zero groups as "::". */
    static String formatV6(long hi, long lo) {
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) (hi >>> (48 - 16 * i)) & 0xFFFF;
            groups[4 + i] = (int) (lo >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
