package net.braid.masque.ip;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.braid.config.IpPrefix;
import net.braid.masque.codec.IpAddressRange;
import net.braid.masque.codec.RouteAdvertisement;
import net.braid.packet.IpPacket;
import net.braid.packet.Ipv4Header;
import net.braid.packet.Ipv6Header;
import net.braid.packet.UpperLayer;

/**
 * Address ranges with their IP protocol, as a ROUTE_ADVERTISEMENT carries them (RFC 9484 §4.7.3),
 * and the per-packet question whether a packet's destination (or source) lies in one. The
 * proxy builds one per session from the scope; the client keeps the proxy's latest advertisement.
 * Immutable; lookups read plain arrays and never allocate. A linear scan, since a session has a
 * handful of ranges.
 */
public final class RouteTable {
    public static final RouteTable EMPTY = new RouteTable(List.of());

    private final List<IpAddressRange> ranges;
    private final int[] versions;
    private final int[] protocols;
    private final long[] startHi;
    private final long[] startLo;
    private final long[] endHi;
    private final long[] endLo;
    private final boolean v4ByProtocol;
    private final boolean v6ByProtocol;

    private RouteTable(List<IpAddressRange> ranges) {
        this.ranges = List.copyOf(ranges);
        int n = ranges.size();
        versions = new int[n];
        protocols = new int[n];
        startHi = new long[n];
        startLo = new long[n];
        endHi = new long[n];
        endLo = new long[n];
        boolean p4 = false;
        boolean p6 = false;
        for (int i = 0; i < n; i++) {
            IpAddressRange r = ranges.get(i);
            versions[i] = r.ipVersion();
            protocols[i] = r.ipProtocol();
            long[] s = halves(r.start());
            long[] e = halves(r.end());
            startHi[i] = s[0];
            startLo[i] = s[1];
            endHi[i] = e[0];
            endLo[i] = e[1];
            if (r.ipProtocol() != IpAddressRange.ALL_PROTOCOLS) {
                if (r.ipVersion() == 4) p4 = true;
                else p6 = true;
            }
        }
        v4ByProtocol = p4;
        v6ByProtocol = p6;
    }

    /** A table from ranges already in RFC 9484 §4.7.3 order (as a decoded capsule holds them). */
    public static RouteTable of(List<IpAddressRange> ranges) {
        return new RouteTable(new RouteAdvertisement(ranges).ranges());
    }

    /**
     * What a proxy advertises for a scope: the addresses in {@code reachable} but not in
     * {@code denied}, narrowed to {@code scope} (null for any host), for {@code protocol}
     * (0 for all). The ranges come out sorted and non-overlapping, as §4.7.3 requires.
     */
    public static RouteTable forScope(List<IpPrefix> reachable, List<IpPrefix> denied, List<IpPrefix> scope, int protocol) {
        List<IpAddressRange> out = new ArrayList<>();
        for (int version : new int[] {4, 6}) {
            List<BigInteger[]> allowed = minus(intervals(reachable, version), intervals(denied, version));
            if (scope != null) allowed = intersect(allowed, intervals(scope, version));
            for (BigInteger[] iv : allowed) {
                out.add(new IpAddressRange(AddressBits.address(version, iv[0]), AddressBits.address(version, iv[1]), protocol));
            }
        }
        return new RouteTable(out);
    }

    public List<IpAddressRange> ranges() {
        return ranges;
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Whether some range is of this IP version (4 or 6). */
    public boolean covers(int version) {
        for (int v : versions) if (v == version) return true;
        return false;
    }

    /**
     * Whether the validated packet at {@code off} has its destination (or, with {@code destination}
     * false, its source) in a range for its IP protocol. A packet whose IPv6 extension headers
     * cannot be walked is not permitted when a range names a protocol.
     */
    public boolean permits(ByteBuffer b, int off, int len, boolean destination) {
        if (Ipv4Header.version(b, off) == 4) {
            int address = destination ? Ipv4Header.dst(b, off) : Ipv4Header.src(b, off);
            int protocol = v4ByProtocol ? Ipv4Header.protocol(b, off) : 0;
            return permits(4, 0, address & 0xFFFF_FFFFL, protocol);
        }
        int protocol = 0;
        if (v6ByProtocol) {
            long ul = IpPacket.upperLayer(b, off, len);
            if (UpperLayer.failed(ul)) return false;
            protocol = UpperLayer.protocol(ul);
        }
        return destination
                ? permits(6, Ipv6Header.dstHi(b, off), Ipv6Header.dstLo(b, off), protocol)
                : permits(6, Ipv6Header.srcHi(b, off), Ipv6Header.srcLo(b, off), protocol);
    }

    /** IPv4 addresses are {@code hi} 0 and the address in the low 32 bits of {@code lo}. */
    boolean permits(int version, long hi, long lo, int protocol) {
        for (int i = 0; i < versions.length; i++) {
            if (versions[i] != version) continue;
            if (protocols[i] != IpAddressRange.ALL_PROTOCOLS && protocols[i] != protocol) continue;
            if (compare(hi, lo, startHi[i], startLo[i]) >= 0 && compare(hi, lo, endHi[i], endLo[i]) <= 0) return true;
        }
        return false;
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    private static long[] halves(InetAddress a) {
        ByteBuffer b = ByteBuffer.wrap(a.getAddress());
        return a.getAddress().length == 4 ? new long[] {0, b.getInt() & 0xFFFF_FFFFL} : new long[] {b.getLong(), b.getLong()};
    }

    // Interval arithmetic on [first, last] pairs of one IP version, sorted and merged.

    private static List<BigInteger[]> intervals(List<IpPrefix> prefixes, int version) {
        List<BigInteger[]> list = new ArrayList<>();
        for (IpPrefix p : prefixes) {
            if (AddressBits.version(p) == version) list.add(new BigInteger[] {AddressBits.first(p), AddressBits.last(p)});
        }
        list.sort(Comparator.comparing(iv -> iv[0]));
        List<BigInteger[]> merged = new ArrayList<>();
        for (BigInteger[] iv : list) {
            BigInteger[] tail = merged.isEmpty() ? null : merged.getLast();
            if (tail != null && iv[0].compareTo(tail[1].add(BigInteger.ONE)) <= 0) {
                tail[1] = tail[1].max(iv[1]);
            } else {
                merged.add(iv.clone());
            }
        }
        return merged;
    }

    private static List<BigInteger[]> minus(List<BigInteger[]> from, List<BigInteger[]> cut) {
        List<BigInteger[]> out = new ArrayList<>();
        for (BigInteger[] iv : from) {
            BigInteger start = iv[0];
            for (BigInteger[] c : cut) {
                if (c[1].compareTo(start) < 0 || c[0].compareTo(iv[1]) > 0) continue;
                if (c[0].compareTo(start) > 0) out.add(new BigInteger[] {start, c[0].subtract(BigInteger.ONE)});
                start = c[1].add(BigInteger.ONE);
                if (start.compareTo(iv[1]) > 0) break;
            }
            if (start.compareTo(iv[1]) <= 0) out.add(new BigInteger[] {start, iv[1]});
        }
        return out;
    }

    private static List<BigInteger[]> intersect(List<BigInteger[]> a, List<BigInteger[]> b) {
        List<BigInteger[]> out = new ArrayList<>();
        for (BigInteger[] x : a) {
            for (BigInteger[] y : b) {
                BigInteger lo = x[0].max(y[0]);
                BigInteger hi = x[1].min(y[1]);
                if (lo.compareTo(hi) <= 0) out.add(new BigInteger[] {lo, hi});
            }
        }
        out.sort(Comparator.comparing(iv -> iv[0]));
        return out;
    }

    @Override
    public String toString() {
        return ranges.toString();
    }
}
