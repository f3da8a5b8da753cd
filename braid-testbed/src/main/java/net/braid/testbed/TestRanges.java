package net.braid.testbed;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The only address ranges the test bed may ever assign or route: 198.18.0.0/15 (RFC 2544
 * benchmarking) and 2001:db8::/32 (RFC 3849 documentation). Every address and route prefix the
 * test bed installs passes through {@link #require} first, so a bug cannot leak a real address.
 */
public final class TestRanges {
    public static final Prefix V4 = Prefix.parse("198.18.0.0/15");
    public static final Prefix V6 = Prefix.parse("2001:db8::/32");

    private TestRanges() {}

    public static boolean contains(InetAddress address) {
        return switch (address) {
            case Inet4Address v4 -> V4.contains(v4);
            case Inet6Address v6 -> V6.contains(v6);
            default -> false;
        };
    }

    /** Returns the address if it lies in a test range, else throws. */
    public static <A extends InetAddress> A require(A address) {
        if (!contains(address)) {
            throw new TestbedException("refusing address " + address.getHostAddress()
                    + ": the test bed uses only " + V4 + " and " + V6);
        }
        return address;
    }

    /** Returns the prefix if it lies wholly inside a test range, else throws. */
    public static Prefix require(Prefix prefix) {
        Prefix range = prefix.address() instanceof Inet4Address ? V4 : V6;
        if (prefix.length() < range.length() || !range.contains(prefix.address())) {
            throw new TestbedException("refusing prefix " + prefix
                    + ": the test bed routes only inside " + V4 + " and " + V6);
        }
        return prefix;
    }

    /** An address prefix such as 198.18.0.0/24; the address is normalised to the network. */
    public record Prefix(InetAddress address, int length) {
        public Prefix {
            int bits = address.getAddress().length * 8;
            if (length < 0 || length > bits) {
                throw new IllegalArgumentException("prefix length " + length + " out of range for " + address);
            }
            address = mask(address, length);
        }

        public static Prefix parse(String text) {
            int slash = text.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("not a prefix (want ADDRESS/LENGTH): " + text);
            }
            InetAddress address = literal(text.substring(0, slash));
            return new Prefix(address, Integer.parseInt(text.substring(slash + 1)));
        }

        public boolean contains(InetAddress candidate) {
            byte[] net = address.getAddress();
            byte[] other = candidate.getAddress();
            if (net.length != other.length) {
                return false;
            }
            return mask(other, length).equals(address);
        }

        public boolean isIpv6() {
            return address instanceof Inet6Address;
        }

        @Override
        public String toString() {
            return address.getHostAddress().replaceFirst("(^|:)(0(:|$)){2,}", "::") + "/" + length;
        }

        private static InetAddress mask(InetAddress address, int length) {
            return mask(address.getAddress(), length);
        }

        private static InetAddress mask(byte[] bytes, int length) {
            byte[] masked = bytes.clone();
            for (int i = 0; i < masked.length; i++) {
                int keep = Math.clamp(length - i * 8L, 0, 8);
                masked[i] &= (byte) (0xff00 >>> keep);
            }
            try {
                return InetAddress.getByAddress(masked);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Parses a numeric address without ever consulting DNS. */
    static InetAddress literal(String text) {
        boolean numeric = text.contains(":") ? text.matches("[0-9a-fA-F:.]+") : text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!numeric) {
            throw new IllegalArgumentException("not a numeric IP address: " + text);
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
    }
}
