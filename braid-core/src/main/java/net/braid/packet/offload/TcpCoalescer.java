package net.braid.packet.offload;

import java.nio.ByteBuffer;
import java.util.Objects;
import net.braid.packet.InternetChecksum;
import net.braid.packet.IpProtocol;
import net.braid.packet.Ipv4Header;
import net.braid.packet.Ipv6Header;
import net.braid.packet.TcpHeader;
import net.braid.packet.TransportChecksum;

/**
 * GRO in userspace: merges runs of consecutive TCP segments of one flow in a batch of IP packets
 * into one super-packet, written after a {@link VirtioNetHeader} that tells a TUN with offloads
 * on to hand it to its TCP stack as one segment, which then runs once per 64 KiB, not per 1.4 KiB.
 *
 * <p>The rules follow Linux's tcp_gro_receive and inet_gro_receive (and wireguard-go's tcpGRO).
 * A segment joins the open group of its flow (same addresses and ports) when it carries data,
 * has ACK set and no SYN, FIN, RST, URG or CWR (CWR may start a group); its sequence number continues the group; ACK
 * number, window, ECE, TCP options (byte for byte, so timestamps must be equal), IPv4 TOS, TTL and
 * DF (or IPv6 traffic class, flow label, hop limit) equal the group's first segment's; IPv4 has
 * no options and no fragmentation and its identification is the previous one plus one (any with
 * DF set, whose ID is meaningless: RFC 6864); IPv6 has no extension headers; the group has not
 * ended (a PSH or a segment shorter than the first ends it); and the result stays ≤ 65535 bytes.
 * Every segment's IP and TCP checksums are verified before it is merged, because the kernel
 * trusts a CHECKSUM_PARTIAL packet's data. Anything else goes out as it came, after a zero header,
 * and closes any open group of the same address pair, so no flow's packets are reordered.
 *
 * <p>Output order is the order of each output's first packet. A merged packet has the first
 * segment's headers with the IP length set (IPv4 header checksum recomputed), PSH if the last
 * segment had it, and in the TCP checksum field the folded pseudo-header sum over the merged
 * length, not complemented, as CHECKSUM_PARTIAL wants (NEEDS_CSUM, csum_start at the TCP header,
 * csum_offset 16, gso_size the first segment's payload length, gso_type TCPV4 or TCPV6, with ECN
 * when the first segment has CWR).
 *
 * <p>{@link TcpSegmenter} turns an output back into exactly the packets that went in, with one
 * exception: merged IPv4 segments with DF come back with identifications counting up from the
 * first one's, whatever theirs were.
 *
 * <p>One instance per writer thread; nothing allocates after construction.
 */
public final class TcpCoalescer {
    /** The largest packet {@link #write} produces, virtio-net header included. */
    public static final int MAX_OUTPUT = VirtioNetHeader.LENGTH + 65_535;
    private static final int MAX_IP = 65_535;
    private static final int NOT_CANDIDATE_FLAGS = TcpHeader.SYN | TcpHeader.FIN | TcpHeader.RST
            | TcpHeader.URG;

    private final int capacity;
    private ByteBuffer[] packets;
    private int count;
    // Per packet, indexed by batch position.
    private final int[] start;
    private final int[] length;
    private final int[] ipHeader;   // 0 when the packet is not a merge candidate
    private final int[] payload;
    private final int[] nextMember; // -1 at the end of a group
    // Per group, indexed by its first packet.
    private final int[] tail;
    private final int[] groupLength;
    private final int[] segments;
    private final long[] nextSeq;
    // Output order and the open groups, as first-packet indices.
    private final int[] outputs;
    private int outputCount;
    private final int[] openGroups;
    private int openCount;

    private long merged;

    /** A coalescer for batches of at most {@code capacity} packets. */
    public TcpCoalescer(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity " + capacity);
        this.capacity = capacity;
        start = new int[capacity];
        length = new int[capacity];
        ipHeader = new int[capacity];
        payload = new int[capacity];
        nextMember = new int[capacity];
        tail = new int[capacity];
        groupLength = new int[capacity];
        segments = new int[capacity];
        nextSeq = new long[capacity];
        outputs = new int[capacity];
        openGroups = new int[capacity];
    }

    /**
     * Plans the outputs for {@code count} packets, each from its buffer's position to its limit;
     * the buffers must stay unchanged until the last {@link #write}.
     *
     * @return the number of outputs, each to be written with {@link #write}
     */
    public int coalesce(ByteBuffer[] packets, int count) {
        Objects.checkFromIndexSize(0, count, packets.length);
        if (count > capacity) throw new IllegalArgumentException(count + " packets, capacity " + capacity);
        this.packets = packets;
        this.count = count;
        outputCount = 0;
        openCount = 0;
        for (int i = 0; i < count; i++) {
            ByteBuffer b = packets[i];
            start[i] = b.position();
            length[i] = b.remaining();
            nextMember[i] = -1;
            ipHeader[i] = candidateHeader(i, b, start[i], length[i]);
            if (ipHeader[i] == 0) {
                closeGroupsOfAddresses(i);
                startGroup(i, false);
                continue;
            }
            int g = openGroupOfFlow(i);
            if (g >= 0 && append(g, i)) continue;
            if (g >= 0) close(g);
            startGroup(i, true);
        }
        return outputCount;
    }

    /** Input packets merged into another one, over this coalescer's life. */
    public long mergedSegments() {
        return merged;
    }

    /** How many input packets output {@code k} of the last {@link #coalesce} carries. */
    public int segments(int k) {
        return segments[output(k)];
    }

    /**
     * Writes output {@code k} of the last {@link #coalesce} — a virtio-net header and the packet —
     * into {@code out} from index 0, which must hold {@link #MAX_OUTPUT} bytes or the output's
     * length. Leaves {@code out}'s position and limit alone.
     *
     * @return the bytes written, header included
     */
    public int write(int k, ByteBuffer out) {
        int h = output(k);
        ByteBuffer first = packets[h];
        int p = VirtioNetHeader.LENGTH;
        int total = groupLength[h];
        if (out.capacity() < p + total) throw new IllegalArgumentException("output buffer holds " + out.capacity());
        if (segments[h] == 1) {
            VirtioNetHeader.writeNone(out, 0);
            out.put(p, first, start[h], length[h]);
            return p + length[h];
        }
        int ipHl = ipHeader[h];
        int headers = length[h] - payload[h];
        out.put(p, first, start[h], length[h]);
        int at = p + length[h];
        int last = h;
        for (int m = nextMember[h]; m >= 0; m = nextMember[m]) {
            out.put(at, packets[m], start[m] + length[m] - payload[m], payload[m]);
            at += payload[m];
            last = m;
        }
        boolean v4 = ipHl == Ipv4Header.MIN_LENGTH;
        if (v4) {
            Ipv4Header.setTotalLength(out, p, total);
            Ipv4Header.updateChecksum(out, p);
        } else {
            Ipv6Header.setPayloadLength(out, p, total - Ipv6Header.LENGTH);
        }
        int tcp = p + ipHl;
        int lastFlags = TcpHeader.flags(packets[last], start[last] + ipHl);
        TcpHeader.setFlags(out, tcp, TcpHeader.flags(out, tcp) | lastFlags & TcpHeader.PSH);
        TcpHeader.setChecksum(out, tcp, InternetChecksum.pseudoHeader(out, p, IpProtocol.TCP, total - ipHl));
        int gsoType = (v4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6)
                | (TcpHeader.has(out, tcp, TcpHeader.CWR) ? VirtioNetHeader.GSO_ECN : 0);
        VirtioNetHeader.write(out, 0, VirtioNetHeader.F_NEEDS_CSUM, gsoType, headers, payload[h], ipHl, 16);
        return p + total;
    }

    private int output(int k) {
        Objects.checkIndex(k, outputCount);
        return outputs[k];
    }

    /**
     * The IP header length (20 or 40) if the packet may be merged: plain TCP data over IPv4
     * without options or IPv6 without extension headers, the right flags, valid checksums.
     * Otherwise 0.
     */
    private int candidateHeader(int i, ByteBuffer b, int off, int len) {
        if (len < Ipv4Header.MIN_LENGTH + TcpHeader.MIN_LENGTH || len > MAX_IP) return 0;
        int version = (b.get(off) & 0xFF) >>> 4;
        int ipHl;
        if (version == 4) {
            if (Ipv4Header.headerLength(b, off) != Ipv4Header.MIN_LENGTH || Ipv4Header.totalLength(b, off) != len
                    || Ipv4Header.protocol(b, off) != IpProtocol.TCP || Ipv4Header.isFragment(b, off)
                    || !Ipv4Header.checksumValid(b, off)) {
                return 0;
            }
            ipHl = Ipv4Header.MIN_LENGTH;
        } else if (version == 6) {
            if (len < Ipv6Header.LENGTH + TcpHeader.MIN_LENGTH
                    || Ipv6Header.LENGTH + Ipv6Header.payloadLength(b, off) != len
                    || Ipv6Header.nextHeader(b, off) != IpProtocol.TCP) {
                return 0;
            }
            ipHl = Ipv6Header.LENGTH;
        } else {
            return 0;
        }
        int tcp = off + ipHl;
        int thl = TcpHeader.headerLength(b, tcp);
        if (thl < TcpHeader.MIN_LENGTH || ipHl + thl >= len) return 0; // no payload: not mergeable
        int flags = TcpHeader.flags(b, tcp);
        if ((flags & TcpHeader.ACK) == 0 || (flags & NOT_CANDIDATE_FLAGS) != 0) return 0;
        if (!TransportChecksum.valid(b, off, IpProtocol.TCP, tcp, len - ipHl)) return 0;
        payload[i] = len - ipHl - thl;
        return ipHl;
    }

    private void startGroup(int i, boolean mergeable) {
        outputs[outputCount++] = i;
        tail[i] = i;
        groupLength[i] = length[i];
        segments[i] = 1;
        if (!mergeable) return;
        ByteBuffer b = packets[i];
        int tcp = start[i] + ipHeader[i];
        nextSeq[i] = TcpHeader.seq(b, tcp) + payload[i] & 0xFFFF_FFFFL;
        // PSH ends a group at once (it marks the last segment of a write).
        if (!TcpHeader.has(b, tcp, TcpHeader.PSH)) openGroups[openCount++] = i;
    }

    private boolean append(int g, int i) {
        ByteBuffer a = packets[g];
        ByteBuffer b = packets[i];
        int ao = start[g];
        int bo = start[i];
        int ipHl = ipHeader[g];
        int at = ao + ipHl;
        int bt = bo + ipHl;
        int thl = TcpHeader.headerLength(a, at);
        if (payload[tail[g]] != payload[g] || payload[i] > payload[g]) return false;
        if (groupLength[g] + payload[i] > MAX_IP) return false;
        if (TcpHeader.seq(b, bt) != nextSeq[g] || TcpHeader.ack(b, bt) != TcpHeader.ack(a, at)
                || TcpHeader.window(b, bt) != TcpHeader.window(a, at)
                || TcpHeader.headerLength(b, bt) != thl
                || ((TcpHeader.flags(a, at) ^ TcpHeader.flags(b, bt)) & TcpHeader.ECE) != 0
                || TcpHeader.has(b, bt, TcpHeader.CWR) // only the first segment may carry it
                || !sameBytes(a, at + TcpHeader.MIN_LENGTH, b, bt + TcpHeader.MIN_LENGTH, thl - TcpHeader.MIN_LENGTH)) {
            return false;
        }
        if (ipHl == Ipv4Header.MIN_LENGTH) {
            if (Ipv4Header.tos(a, ao) != Ipv4Header.tos(b, bo) || Ipv4Header.ttl(a, ao) != Ipv4Header.ttl(b, bo)
                    || Ipv4Header.flagsAndFragmentOffset(a, ao) != Ipv4Header.flagsAndFragmentOffset(b, bo)) {
                return false;
            }
            int lastId = Ipv4Header.identification(packets[tail[g]], start[tail[g]]);
            if (!Ipv4Header.dontFragment(a, ao) && Ipv4Header.identification(b, bo) != (lastId + 1 & 0xFFFF)) {
                return false;
            }
        } else if (BigEndian.i32(a, ao) != BigEndian.i32(b, bo)
                || Ipv6Header.hopLimit(a, ao) != Ipv6Header.hopLimit(b, bo)) {
            return false;
        }
        nextMember[tail[g]] = i;
        tail[g] = i;
        groupLength[g] += payload[i];
        segments[g]++;
        nextSeq[g] = nextSeq[g] + payload[i] & 0xFFFF_FFFFL;
        merged++;
        if (payload[i] < payload[g] || TcpHeader.has(b, bt, TcpHeader.PSH)) close(g);
        return true;
    }

    /** The open group whose flow (version, addresses, ports) is packet i's, or -1. */
    private int openGroupOfFlow(int i) {
        for (int k = 0; k < openCount; k++) {
            int g = openGroups[k];
            if (ipHeader[g] == ipHeader[i] && sameAddresses(g, i)
                    && BigEndian.i32(packets[g], start[g] + ipHeader[g]) == BigEndian.i32(packets[i], start[i] + ipHeader[i])) {
                return g;
            }
        }
        return -1;
    }

    /** A packet that is not merged closes the open groups between the same hosts, so it is not overtaken. */
    private void closeGroupsOfAddresses(int i) {
        int version = length[i] > 0 ? (packets[i].get(start[i]) & 0xFF) >>> 4 : 0;
        int needed = version == 4 ? Ipv4Header.MIN_LENGTH : Ipv6Header.LENGTH;
        if ((version != 4 && version != 6) || length[i] < needed) return;
        for (int k = openCount - 1; k >= 0; k--) {
            int g = openGroups[k];
            if (ipHeader[g] == needed && sameAddresses(g, i)) close(g);
        }
    }

    private boolean sameAddresses(int g, int i) {
        int ipHl = ipHeader[g];
        int from = ipHl == Ipv4Header.MIN_LENGTH ? 12 : 8;
        int size = ipHl == Ipv4Header.MIN_LENGTH ? 8 : 32;
        return sameBytes(packets[g], start[g] + from, packets[i], start[i] + from, size);
    }

    private void close(int g) {
        for (int k = 0; k < openCount; k++) {
            if (openGroups[k] == g) {
                openGroups[k] = openGroups[--openCount];
                return;
            }
        }
    }

    private static boolean sameBytes(ByteBuffer a, int ao, ByteBuffer b, int bo, int len) {
        int k = 0;
        for (; k + 4 <= len; k += 4) {
            if (BigEndian.i32(a, ao + k) != BigEndian.i32(b, bo + k)) return false;
        }
        for (; k < len; k++) {
            if (a.get(ao + k) != b.get(bo + k)) return false;
        }
        return true;
    }
}
