package net.braid.packet.offload;

import java.nio.ByteBuffer;
import net.braid.packet.InternetChecksum;
import net.braid.packet.IpProtocol;
import net.braid.packet.Ipv4Header;
import net.braid.packet.Ipv6ExtensionHeaders;
import net.braid.packet.Ipv6Header;
import net.braid.packet.TcpHeader;
import net.braid.packet.TransportChecksum;
import net.braid.packet.UpperLayer;

/**
 * GSO in userspace: splits a packet read from a TUN with offloads on — a {@link VirtioNetHeader}
 * followed by an IPv4 or IPv6 packet — into the packets the kernel would have sent without them.
 *
 * <p>A TCP super-packet (gso_type TCPV4 or TCPV6, up to 64 KiB) becomes segments of gso_size
 * payload bytes, each with the IP and TCP headers repeated and fixed up as the kernel's
 * tcp_gso_segment and inet_gso_segment do: IPv4 total length, identification incremented per
 * segment and header checksum; IPv6 payload length; TCP sequence number advanced by the payload
 * offset, FIN and PSH only on the last segment, CWR only on the first, and the full TCP checksum
 * (pseudo-header included) computed per segment. A packet without GSO is copied, its checksum
 * finished first when the header asks for that (NEEDS_CSUM: the field holds the pseudo-header sum).
 *
 * <p>The header length to repeat comes from csum_start and the TCP data offset, not from hdr_len,
 * which the kernel fills with the skb's linear length (often more than the headers).
 *
 * <p>Stateless: a caller with fewer buffers than segments asks for the rest by index on its next
 * call. Nothing allocates.
 */
public final class TcpSegmenter {
    private static final int TCP_CSUM_OFFSET = 16;

    private TcpSegmenter() {}

    /**
     * How many packets {@link #segment} will produce from the {@code len} bytes at {@code off}
     * (virtio-net header, then the packet), or -1 if they are malformed or of a GSO type other
     * than TCP (UDP fragmentation offload and USO are not enabled by braid, so never arrive).
     */
    public static int count(ByteBuffer b, int off, int len) {
        if (len < VirtioNetHeader.LENGTH + 1 || off < 0 || off + len > b.limit()) return -1;
        int flags = VirtioNetHeader.flags(b, off);
        int gsoType = VirtioNetHeader.gsoType(b, off) & ~VirtioNetHeader.GSO_ECN;
        int p = off + VirtioNetHeader.LENGTH;
        int plen = len - VirtioNetHeader.LENGTH;
        int csumStart = VirtioNetHeader.csumStart(b, off);
        int csumOffset = VirtioNetHeader.csumOffset(b, off);
        boolean needsCsum = (flags & VirtioNetHeader.F_NEEDS_CSUM) != 0;
        if (gsoType == VirtioNetHeader.GSO_NONE) {
            if (needsCsum && (csumOffset & 1) != 0 || needsCsum && csumStart + csumOffset + 2 > plen) return -1;
            return 1;
        }
        if (!needsCsum || csumOffset != TCP_CSUM_OFFSET) return -1;
        int version = (b.get(p) & 0xFF) >>> 4;
        if (gsoType == VirtioNetHeader.GSO_TCPV4) {
            if (version != 4 || plen < Ipv4Header.MIN_LENGTH) return -1;
            if (Ipv4Header.headerLength(b, p) != csumStart || Ipv4Header.protocol(b, p) != IpProtocol.TCP
                    || Ipv4Header.isFragment(b, p)) {
                return -1;
            }
        } else if (gsoType == VirtioNetHeader.GSO_TCPV6) {
            if (version != 6 || plen < Ipv6Header.LENGTH) return -1;
            long ul = Ipv6ExtensionHeaders.walk(b, p, plen);
            if (UpperLayer.failed(ul) || UpperLayer.protocol(ul) != IpProtocol.TCP || UpperLayer.isFragment(ul)
                    || UpperLayer.offset(ul) != p + csumStart) {
                return -1;
            }
        } else {
            return -1;
        }
        if (csumStart < Ipv4Header.MIN_LENGTH || csumStart + TcpHeader.MIN_LENGTH > plen) return -1;
        int headers = csumStart + TcpHeader.headerLength(b, p + csumStart);
        if (headers < csumStart + TcpHeader.MIN_LENGTH || headers > plen) return -1;
        int gsoSize = VirtioNetHeader.gsoSize(b, off);
        if (gsoSize == 0) return -1;
        int payload = plen - headers;
        return payload == 0 ? 1 : (payload + gsoSize - 1) / gsoSize;
    }

    /**
     * Writes packets {@code first}, {@code first + 1}, … of the super-packet into
     * {@code out[outFrom]}, … — at most {@code outCount} of them — each with position 0 and its
     * limit at the packet's end. The input is left as it was.
     *
     * @return the number of packets written, or -1 if the input is malformed or a packet does
     *     not fit its buffer (nothing useful was written then)
     */
    public static int segment(ByteBuffer b, int off, int len, int first, ByteBuffer[] out, int outFrom, int outCount) {
        int total = count(b, off, len);
        if (total < 0 || first < 0 || first >= total) return -1;
        int n = Math.min(outCount, total - first);
        int p = off + VirtioNetHeader.LENGTH;
        int plen = len - VirtioNetHeader.LENGTH;
        if ((VirtioNetHeader.gsoType(b, off) & ~VirtioNetHeader.GSO_ECN) == VirtioNetHeader.GSO_NONE) {
            return copyFinishing(b, off, p, plen, out[outFrom]) ? 1 : -1;
        }
        int csumStart = VirtioNetHeader.csumStart(b, off);
        int headers = csumStart + TcpHeader.headerLength(b, p + csumStart);
        int payload = plen - headers;
        int gsoSize = VirtioNetHeader.gsoSize(b, off);
        boolean v4 = (b.get(p) & 0xFF) >>> 4 == 4;
        for (int k = 0; k < n; k++) {
            int i = first + k;
            int from = i * gsoSize;
            int segPayload = Math.min(gsoSize, payload - from);
            int segLen = headers + segPayload;
            ByteBuffer o = out[outFrom + k];
            if (o.isReadOnly() || o.capacity() < segLen) return -1;
            o.clear();
            o.put(0, b, p, headers);
            o.put(headers, b, p + headers + from, segPayload);
            o.limit(segLen);
            if (v4) {
                Ipv4Header.setTotalLength(o, 0, segLen);
                BigEndian.put16(o, 4, Ipv4Header.identification(b, p) + i);
                Ipv4Header.updateChecksum(o, 0);
            } else {
                Ipv6Header.setPayloadLength(o, 0, segLen - Ipv6Header.LENGTH);
            }
            TcpHeader.setSeq(o, csumStart, TcpHeader.seq(b, p + csumStart) + from);
            int flags = TcpHeader.flags(b, p + csumStart);
            if (i != total - 1) flags &= ~(TcpHeader.FIN | TcpHeader.PSH);
            if (i != 0) flags &= ~TcpHeader.CWR;
            TcpHeader.setFlags(o, csumStart, flags);
            TransportChecksum.fill(o, 0, IpProtocol.TCP, csumStart, segLen - csumStart);
        }
        return n;
    }

    /** A packet without GSO: copied, and its checksum finished if the header says it still needs one. */
    private static boolean copyFinishing(ByteBuffer b, int off, int p, int plen, ByteBuffer o) {
        if (o.isReadOnly() || o.capacity() < plen) return false;
        o.clear();
        o.put(0, b, p, plen);
        o.limit(plen);
        if ((VirtioNetHeader.flags(b, off) & VirtioNetHeader.F_NEEDS_CSUM) != 0) {
            int start = VirtioNetHeader.csumStart(b, off);
            int field = start + VirtioNetHeader.csumOffset(b, off);
            int c = InternetChecksum.checksum(o, start, plen - start);
            // As skb_checksum_help: a result of 0 goes out as 0xFFFF (CSUM_MANGLED_0), which UDP requires.
            BigEndian.put16(o, field, c == 0 ? 0xFFFF : c);
        }
        return true;
    }
}
