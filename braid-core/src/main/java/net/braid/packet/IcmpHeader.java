package net.braid.packet;

import java.nio.ByteBuffer;

/**
 * The ICMPv4 (RFC 792) and ICMPv6 (RFC 4443 §2.1) header, which share a layout: type, code,
 * checksum, then 4 bytes whose meaning depends on the type (echo identifier and sequence, the
 * next-hop MTU of RFC 1191 §4, the MTU of Packet Too Big). Error messages quote the offending
 * packet from byte 8.
 */
public final class IcmpHeader {
    public static final int LENGTH = 8;

    // ICMPv4 types and codes (RFC 792, RFC 1191).
    public static final int V4_ECHO_REPLY = 0;
    public static final int V4_DESTINATION_UNREACHABLE = 3;
    public static final int V4_ECHO_REQUEST = 8;
    public static final int V4_TIME_EXCEEDED = 11;
    public static final int V4_PARAMETER_PROBLEM = 12;
    public static final int V4_NET_UNREACHABLE = 0;
    public static final int V4_HOST_UNREACHABLE = 1;
    public static final int V4_PROTOCOL_UNREACHABLE = 2;
    public static final int V4_PORT_UNREACHABLE = 3;
    public static final int V4_FRAGMENTATION_NEEDED = 4;
    public static final int V4_ADMIN_PROHIBITED = 13;
    public static final int V4_TTL_EXCEEDED = 0;

    // ICMPv6 types and codes (RFC 4443 §3, §4).
    public static final int V6_DESTINATION_UNREACHABLE = 1;
    public static final int V6_PACKET_TOO_BIG = 2;
    public static final int V6_TIME_EXCEEDED = 3;
    public static final int V6_PARAMETER_PROBLEM = 4;
    public static final int V6_ECHO_REQUEST = 128;
    public static final int V6_ECHO_REPLY = 129;
    public static final int V6_NO_ROUTE = 0;
    public static final int V6_ADMIN_PROHIBITED = 1;
    public static final int V6_ADDRESS_UNREACHABLE = 3;
    public static final int V6_PORT_UNREACHABLE = 4;
    public static final int V6_HOP_LIMIT_EXCEEDED = 0;

    private IcmpHeader() {}

    public static int type(ByteBuffer b, int off) {
        return NetworkOrder.u8(b, off);
    }

    public static int code(ByteBuffer b, int off) {
        return NetworkOrder.u8(b, off + 1);
    }

    public static int checksum(ByteBuffer b, int off) {
        return NetworkOrder.u16(b, off + 2);
    }

    /** Echo identifier (RFC 792 "Echo", RFC 4443 §4.1). */
    public static int identifier(ByteBuffer b, int off) {
        return NetworkOrder.u16(b, off + 4);
    }

    public static int sequence(ByteBuffer b, int off) {
        return NetworkOrder.u16(b, off + 6);
    }

    /** The 32 bits after the checksum: unused, MTU, pointer, or identifier and sequence. */
    public static int restOfHeader(ByteBuffer b, int off) {
        return NetworkOrder.i32(b, off + 4);
    }

    /** Next-hop MTU of an ICMPv4 Fragmentation Needed (RFC 1191 §4), the low 16 bits. */
    public static int nextHopMtu(ByteBuffer b, int off) {
        return NetworkOrder.u16(b, off + 6);
    }

    /** MTU of an ICMPv6 Packet Too Big (RFC 4443 §3.2), 32 bits. */
    public static long mtu(ByteBuffer b, int off) {
        return NetworkOrder.u32(b, off + 4);
    }

    /** True for ICMPv4 error types (everything here except echo and the informational types). */
    public static boolean isV4Error(int type) {
        return type == V4_DESTINATION_UNREACHABLE || type == 4 /* source quench */ || type == 5 /* redirect */
                || type == V4_TIME_EXCEEDED || type == V4_PARAMETER_PROBLEM;
    }

    /** True for ICMPv6 error types: the high bit of the type is clear (RFC 4443 §2.1). */
    public static boolean isV6Error(int type) {
        return type < 128;
    }

    /** Writes type, code, a zero checksum and the 32-bit rest of the header. */
    public static int write(ByteBuffer b, int off, int type, int code, int restOfHeader) {
        NetworkOrder.put8(b, off, type);
        NetworkOrder.put8(b, off + 1, code);
        NetworkOrder.put16(b, off + 2, 0);
        NetworkOrder.put32(b, off + 4, restOfHeader);
        return LENGTH;
    }
}
