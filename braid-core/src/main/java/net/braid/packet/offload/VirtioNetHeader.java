package net.braid.packet.offload;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * struct virtio_net_hdr (virtio 1.x spec §5.1.6, include/uapi/linux/virtio_net.h), the 10 bytes
 * a TUN opened with IFF_VNET_HDR puts before every packet it hands out and expects before every
 * packet written to it, read and written in place at {@code off}.
 *
 * <pre>
 *  0 flags   1 gso_type   2-3 hdr_len   4-5 gso_size   6-7 csum_start   8-9 csum_offset
 * </pre>
 *
 * The 16-bit fields are little-endian here. A TUN uses the legacy virtio byte order, which is
 * the host's (drivers/net/tun.c tun_is_little_endian), unless TUNSETVNETLE/BE was set; so this
 * codec matches a TUN directly on little-endian hosts (x86-64, arm64) and on big-endian ones
 * after TUNSETVNETLE. The opener of the TUN makes sure of that.
 */
public final class VirtioNetHeader {
    public static final int LENGTH = 10;

    /** flags: the checksum from csum_start to the end still has to be computed and stored at csum_start + csum_offset. */
    public static final int F_NEEDS_CSUM = 1;
    /** flags: the receiver may skip checksum verification. */
    public static final int F_DATA_VALID = 2;

    /** gso_type values; {@link #GSO_ECN} may be or-ed into the TCP ones (CWR set on the first segment). */
    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    public static final int GSO_UDP_L4 = 5;
    public static final int GSO_ECN = 0x80;

    private static final VarHandle U16 = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private VirtioNetHeader() {}

    public static int flags(ByteBuffer b, int off) {
        return b.get(off) & 0xFF;
    }

    public static int gsoType(ByteBuffer b, int off) {
        return b.get(off + 1) & 0xFF;
    }

    /** Length of the headers (link + IP + transport) a segment repeats; only a hint from the kernel. */
    public static int hdrLen(ByteBuffer b, int off) {
        return u16(b, off + 2);
    }

    /** Payload bytes per segment (the MSS) of a GSO packet. */
    public static int gsoSize(ByteBuffer b, int off) {
        return u16(b, off + 4);
    }

    /** Offset, from the start of the packet after this header, where checksumming starts (the transport header). */
    public static int csumStart(ByteBuffer b, int off) {
        return u16(b, off + 6);
    }

    /** Offset of the checksum field from csum_start (16 for TCP, 6 for UDP). */
    public static int csumOffset(ByteBuffer b, int off) {
        return u16(b, off + 8);
    }

    /** Writes all ten bytes. */
    public static void write(ByteBuffer b, int off, int flags, int gsoType, int hdrLen, int gsoSize,
                             int csumStart, int csumOffset) {
        b.put(off, (byte) flags);
        b.put(off + 1, (byte) gsoType);
        U16.set(b, off + 2, (short) hdrLen);
        U16.set(b, off + 4, (short) gsoSize);
        U16.set(b, off + 6, (short) csumStart);
        U16.set(b, off + 8, (short) csumOffset);
    }

    /** Writes the header of a packet that needs nothing done: all zero. */
    public static void writeNone(ByteBuffer b, int off) {
        write(b, off, 0, GSO_NONE, 0, 0, 0, 0);
    }

    private static int u16(ByteBuffer b, int off) {
        return (short) U16.get(b, off) & 0xFFFF;
    }
}
