package net.braid.testbed;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The addresses of the n-th link of a test bed: 198.18.0.0/15 split into 512 /24s (link n gets
 * 198.18.n.0/24, counting on into 198.19.x) and 2001:db8:0:n::/64. End A is .1 / ::1, end B .2 / ::2.
 * Namespaces are isolated, so two test beds reusing the same numbers never clash.
 */
record LinkSubnet(int index) {
    static final int MAX_LINKS = 512;

    LinkSubnet {
        if (index < 0 || index >= MAX_LINKS) {
            throw new TestbedException("a test bed holds at most " + MAX_LINKS + " links (198.18.0.0/15 in /24s)");
        }
    }

    TestRanges.Prefix v4Prefix() {
        return TestRanges.require(new TestRanges.Prefix(v4(0), 24));
    }

    TestRanges.Prefix v6Prefix() {
        return TestRanges.require(new TestRanges.Prefix(v6(0), 64));
    }

    /** The address of end A ({@code side == 0}) or end B ({@code side == 1}). */
    Inet4Address v4Of(int side) {
        return TestRanges.require(v4(side + 1));
    }

    Inet6Address v6Of(int side) {
        return TestRanges.require(v6(side + 1));
    }

    private Inet4Address v4(int host) {
        byte[] bytes = {(byte) 198, (byte) (18 + index / 256), (byte) (index % 256), (byte) host};
        return (Inet4Address) address(bytes);
    }

    private Inet6Address v6(int host) {
        byte[] bytes = new byte[16];
        bytes[0] = 0x20;
        bytes[1] = 0x01;
        bytes[2] = 0x0d;
        bytes[3] = (byte) 0xb8;
        bytes[6] = (byte) (index >>> 8);
        bytes[7] = (byte) index;
        bytes[15] = (byte) host;
        return (Inet6Address) address(bytes);
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
