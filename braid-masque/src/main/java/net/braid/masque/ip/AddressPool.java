package net.braid.masque.ip;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import net.braid.config.IpPrefix;

/**
 * The addresses a CONNECT-IP proxy assigns to its clients (RFC 9484 §4.7.1): IPv4 and IPv6
 * prefixes, handed out as aligned blocks (usually one /32 or /128 per session) and taken back when
 * the session ends. The first address after each prefix's network address is the proxy's own
 * ({@link #gateway}): ICMP errors come from it. Neither it, the network address, nor an IPv4
 * broadcast address is ever assigned. First fit, so released blocks are reused. Thread-safe.
 */
public final class AddressPool {
    private final List<Range> ranges = new ArrayList<>();

    /** One pool prefix and its blocks in use: first offset → last offset. */
    private static final class Range {
        final IpPrefix prefix;
        final int version;
        final BigInteger base;
        final BigInteger lastOffset;
        final TreeMap<BigInteger, BigInteger> used = new TreeMap<>();
        final TreeMap<BigInteger, BigInteger> reserved = new TreeMap<>();

        Range(IpPrefix prefix) {
            this.prefix = prefix.network();
            this.version = AddressBits.version(prefix);
            this.base = AddressBits.first(this.prefix);
            this.lastOffset = AddressBits.size(version, prefix.prefixLength()).subtract(BigInteger.ONE);
            if (lastOffset.compareTo(BigInteger.valueOf(3)) >= 0) {
                reserve(BigInteger.ZERO, BigInteger.ONE);
                if (version == 4) reserve(lastOffset, lastOffset);
            }
        }

        private void reserve(BigInteger from, BigInteger to) {
            used.put(from, to);
            reserved.put(from, to);
        }

        boolean free(BigInteger first, BigInteger last) {
            Map.Entry<BigInteger, BigInteger> before = used.floorEntry(last);
            return before == null || before.getValue().compareTo(first) < 0;
        }

        /** The lowest free aligned block of {@code size} addresses, or null. */
        BigInteger firstFit(BigInteger size) {
            BigInteger candidate = BigInteger.ZERO;
            for (var e : used.entrySet()) {
                if (candidate.add(size).subtract(BigInteger.ONE).compareTo(e.getKey()) < 0) return candidate;
                if (e.getValue().compareTo(candidate) >= 0) candidate = alignUp(e.getValue().add(BigInteger.ONE), size);
            }
            return candidate.add(size).subtract(BigInteger.ONE).compareTo(lastOffset) <= 0 ? candidate : null;
        }

        private static BigInteger alignUp(BigInteger n, BigInteger size) {
            BigInteger[] qr = n.divideAndRemainder(size);
            return qr[1].signum() == 0 ? n : qr[0].add(BigInteger.ONE).multiply(size);
        }
    }

    /** @param prefixes IPv4 and IPv6 prefixes, not overlapping one another */
    public AddressPool(List<IpPrefix> prefixes) {
        for (IpPrefix p : prefixes) {
            for (Range r : ranges) {
                if (r.prefix.overlaps(p)) throw new IllegalArgumentException("pool prefixes overlap: " + r.prefix + ", " + p);
            }
            ranges.add(new Range(p));
        }
    }

    public List<IpPrefix> prefixes() {
        return ranges.stream().map(r -> r.prefix).toList();
    }

    /** Whether the pool has addresses of this IP version (4 or 6) at all. */
    public boolean serves(int version) {
        return ranges.stream().anyMatch(r -> r.version == version);
    }

    /** The shortest prefix length of this version the pool could ever hand out, or -1. */
    public int shortestBlock(int version) {
        return ranges.stream().filter(r -> r.version == version).mapToInt(r -> r.prefix.prefixLength()).min().orElse(-1);
    }

    /** The proxy's own address in the first prefix of this version (of four addresses or more): network address + 1. */
    public Optional<InetAddress> gateway(int version) {
        return ranges.stream().filter(r -> r.version == version && !r.reserved.isEmpty()).findFirst()
                .map(r -> AddressBits.address(version, r.base.add(BigInteger.ONE)));
    }

    /** Assigns the lowest free block of {@code prefixLength} of this version, if any. */
    public synchronized Optional<IpPrefix> allocate(int version, int prefixLength) {
        BigInteger size = AddressBits.size(version, prefixLength);
        for (Range r : ranges) {
            if (r.version != version || prefixLength < r.prefix.prefixLength()) continue;
            BigInteger offset = r.firstFit(size);
            if (offset != null) {
                r.used.put(offset, offset.add(size).subtract(BigInteger.ONE));
                return Optional.of(AddressBits.prefix(version, r.base.add(offset), prefixLength));
            }
        }
        return Optional.empty();
    }

    /** Assigns exactly this block (host bits ignored) if it lies in the pool and is free. */
    public synchronized Optional<IpPrefix> allocate(IpPrefix wanted) {
        IpPrefix block = wanted.network();
        int version = AddressBits.version(block);
        for (Range r : ranges) {
            if (r.version != version || block.prefixLength() < r.prefix.prefixLength() || !r.prefix.overlaps(block)) continue;
            BigInteger first = AddressBits.first(block).subtract(r.base);
            BigInteger last = first.add(AddressBits.size(version, block.prefixLength())).subtract(BigInteger.ONE);
            if (!r.free(first, last)) return Optional.empty();
            r.used.put(first, last);
            return Optional.of(block);
        }
        return Optional.empty();
    }

    /** Takes back a block {@link #allocate} returned; false if it was not assigned. */
    public synchronized boolean release(IpPrefix block) {
        int version = AddressBits.version(block);
        for (Range r : ranges) {
            if (r.version != version || !r.prefix.overlaps(block) || block.prefixLength() < r.prefix.prefixLength()) continue;
            BigInteger first = AddressBits.first(block).subtract(r.base);
            BigInteger last = first.add(AddressBits.size(version, block.prefixLength())).subtract(BigInteger.ONE);
            if (r.reserved.containsKey(first) || !last.equals(r.used.get(first))) return false;
            r.used.remove(first);
            return true;
        }
        return false;
    }

    /** Blocks currently assigned. */
    public synchronized int inUse() {
        int n = 0;
        for (Range r : ranges) n += r.used.size() - r.reserved.size();
        return n;
    }
}
