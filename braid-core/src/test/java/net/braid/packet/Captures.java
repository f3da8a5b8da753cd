package net.braid.packet;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * Packets captured from Linux 6.x between two network namespaces (198.18.0.1/2001:db8::1 and
 * 198.18.0.2/2001:db8::2 on a veth pair) with {@code tcpdump -w}, Ethernet header removed:
 * ping, ping -6, a TCP connect and a UDP send to a closed port in each family. Transmit
 * checksum offload was off ({@code ethtool -K tx off}), so TCP and UDP checksums are final.
 */
final class Captures {
    static final String PING4_REQUEST =
            "450000543275400040017c0cc6120001c612000208005cce1d4000017756026b00000000375c0e0000000000"
            + "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";
    static final String PING4_REPLY =
            "45000054400500004001ae7cc6120002c6120001000064ce1d4000017756026b00000000375c0e0000000000"
            + "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";
    static final String PING6_REQUEST =
            "6000706100403a4020010db800000000000000000000000120010db8000000000000000000000002"
            + "8000acd11d4100017756026b0000000013680e0000000000"
            + "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";
    static final String PING6_REPLY =
            "60069c1300403a4020010db800000000000000000000000220010db8000000000000000000000001"
            + "8100abd11d4100017756026b0000000013680e0000000000"
            + "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";
    /** SYN, options [mss 1460,sackOK,TS val 2719755973 ecr 0,nop,wscale 10]. */
    static final String SYN4 =
            "4500003cbde840004006f0abc6120001c6120002e2580009c090bb8e00000000a002faf091810000"
            + "020405b40402080aa21c2ec5000000000103030a";
    static final String RST4 =
            "45000028000040004006aea8c6120002c61200010009e25800000000c090bb8f50140000c5260000";
    /** SYN, options [mss 1440,sackOK,TS val 575732011 ecr 0,nop,wscale 10]. */
    static final String SYN6 =
            "600a11430028064020010db800000000000000000000000120010db8000000000000000000000002"
            + "b46200092ecb4c4400000000a002fd20a4840000020405a00402080a2250f92b000000000103030a";
    static final String RST6 =
            "6005fc770014064020010db800000000000000000000000220010db8000000000000000000000001"
            + "0009b462000000002ecb4c455014000024e00000";
    /** "hello\n" to port 9. */
    static final String UDP4 = "45000022208a400040118e19c6120001c6120002a4700009000e8b5468656c6c6f0a";
    /** The kernel's port unreachable for {@link #UDP4}. */
    static final String PORT_UNREACHABLE4 =
            "45c0003e1d3100004001d0a6c6120002c61200010303894400000000" + UDP4;
    /** "hello6\n" to port 9. */
    static final String UDP6 =
            "6005e051000f114020010db800000000000000000000000120010db8000000000000000000000002"
            + "d8e10009000f7d6868656c6c6f360a";
    static final String PORT_UNREACHABLE6 =
            "600b99dc003f3a4020010db800000000000000000000000220010db8000000000000000000000001"
            + "0104518700000000" + UDP6;
    /** MLDv2 report: a Hop-by-Hop header with Router Alert, then ICMPv6 type 143. */
    static final String MLD_REPORT =
            "6000000000380001fe80000000000000a81bbafffe0f7f14ff020000000000000000000000000016"
            + "3a00050200000100"
            + "8f000f8b0000000204000000ff0200000000000000000001ff0f7f1404000000ff0200000000000000000001ff000001";

    static final int ADDR1_V4 = 0xC6120001;
    static final int ADDR2_V4 = 0xC6120002;
    static final long DOC_PREFIX = 0x20010db800000000L;

    private Captures() {}

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    static ByteBuffer buffer(String hex) {
        return ByteBuffer.wrap(bytes(hex));
    }

    static String hex(ByteBuffer b, int off, int len) {
        byte[] a = new byte[len];
        b.get(off, a);
        return HexFormat.of().formatHex(a);
    }
}
