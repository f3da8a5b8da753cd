package net.braid.interpose;

import java.nio.ByteBuffer;
import java.util.List;
import net.braid.packet.AddressPair;
import net.braid.packet.IpPacket;
import net.braid.packet.Ipv4Header;
import net.braid.packet.Ipv6Header;
import net.braid.packet.TcpHeader;
import net.braid.packet.UpperLayer;

/**
 * The engine's flows by 5-tuple, found straight from a packet's header fields: a lookup builds no
 * {@link FlowKey} (a key and its address pair per packet was the engine's only allocation on the
 * way from the device to an endpoint). A {@link FlowKey} is made once, when a flow is added.
 * Chained buckets; the hash is seeded per table, so apps cannot aim their ports at one chain.
 * Not thread-safe: the engine's loop owns it.
 */
final class FlowTable<V> {
    private static final float LOAD = 0.75f;

    private Entry<V>[] buckets;
    private int size;
    private final long seed;

    FlowTable(long seed) {
        this.seed = seed;
        this.buckets = newBuckets(64);
    }

    int size() {
        return size;
    }

    /**
     * The flow of a validated packet whose transport header was found at {@code upperLayer}
     * ({@link IpPacket#upperLayer}), or null. TCP and UDP both keep their ports in their first
     * four bytes; the addresses sit at RFC 791 §3.1 offsets 12/16 (IPv4), RFC 8200 §3 offsets 8/24 (IPv6).
     */
    V find(ByteBuffer b, int ipOff, long upperLayer) {
        int l4 = UpperLayer.offset(upperLayer);
        int protocol = UpperLayer.protocol(upperLayer);
        int srcPort = TcpHeader.srcPort(b, l4);
        int dstPort = TcpHeader.dstPort(b, l4);
        boolean v6 = Ipv4Header.version(b, ipOff) == 6;
        long s0;
        long s1;
        long d0;
        long d1;
        if (v6) {
            s0 = Ipv6Header.srcHi(b, ipOff);
            s1 = Ipv6Header.srcLo(b, ipOff);
            d0 = Ipv6Header.dstHi(b, ipOff);
            d1 = Ipv6Header.dstLo(b, ipOff);
        } else {
            s0 = 0;
            s1 = Ipv4Header.src(b, ipOff) & 0xFFFF_FFFFL;
            d0 = 0;
            d1 = Ipv4Header.dst(b, ipOff) & 0xFFFF_FFFFL;
        }
        int h = hash(v6, protocol, srcPort, dstPort, s0, s1, d0, d1);
        for (Entry<V> e = buckets[h & (buckets.length - 1)]; e != null; e = e.next) {
            if (e.hash == h && e.v6 == v6 && e.protocol == protocol && e.srcPort == srcPort && e.dstPort == dstPort
                    && e.s0 == s0 && e.s1 == s1 && e.d0 == d0 && e.d1 == d1) {
                return e.value;
            }
        }
        return null;
    }

    V get(FlowKey key) {
        Entry<V> e = entry(key);
        return e == null ? null : e.value;
    }

    /** Adds {@code key}'s flow, or replaces the one it had. */
    void put(FlowKey key, V value) {
        Entry<V> e = entry(key);
        if (e != null) {
            e.value = value;
            return;
        }
        if (size + 1 > buckets.length * LOAD) grow();
        e = new Entry<>(key, value);
        e.hash = hash(e.v6, e.protocol, e.srcPort, e.dstPort, e.s0, e.s1, e.d0, e.d1);
        int i = e.hash & (buckets.length - 1);
        e.next = buckets[i];
        buckets[i] = e;
        size++;
    }

    /** Removes {@code key}'s flow if it is {@code value}; true if it was. */
    boolean remove(FlowKey key, V value) {
        Entry<V> probe = new Entry<>(key, null);
        int h = hash(probe.v6, probe.protocol, probe.srcPort, probe.dstPort, probe.s0, probe.s1, probe.d0, probe.d1);
        int i = h & (buckets.length - 1);
        Entry<V> prev = null;
        for (Entry<V> e = buckets[i]; e != null; prev = e, e = e.next) {
            if (e.key.equals(key)) {
                if (e.value != value) return false;
                if (prev == null) buckets[i] = e.next;
                else prev.next = e.next;
                size--;
                return true;
            }
        }
        return false;
    }

    /** Adds every flow to {@code into} (a list the caller reuses, so a scan allocates nothing once it has grown). */
    void values(List<V> into) {
        for (Entry<V> head : buckets) {
            for (Entry<V> e = head; e != null; e = e.next) into.add(e.value);
        }
    }

    private Entry<V> entry(FlowKey key) {
        Entry<V> probe = new Entry<>(key, null);
        int h = hash(probe.v6, probe.protocol, probe.srcPort, probe.dstPort, probe.s0, probe.s1, probe.d0, probe.d1);
        for (Entry<V> e = buckets[h & (buckets.length - 1)]; e != null; e = e.next) {
            if (e.key.equals(key)) return e;
        }
        return null;
    }

    private void grow() {
        Entry<V>[] old = buckets;
        buckets = newBuckets(old.length * 2);
        for (Entry<V> head : old) {
            for (Entry<V> e = head; e != null; ) {
                Entry<V> next = e.next;
                int i = e.hash & (buckets.length - 1);
                e.next = buckets[i];
                buckets[i] = e;
                e = next;
            }
        }
    }

    private int hash(boolean v6, int protocol, int srcPort, int dstPort, long s0, long s1, long d0, long d1) {
        long h = seed ^ ((v6 ? 1L << 40 : 0) | (long) protocol << 32 | (long) srcPort << 16 | dstPort);
        h = mix(h ^ s0);
        h = mix(h ^ s1);
        h = mix(h ^ d0);
        h = mix(h ^ d1);
        return (int) (h ^ h >>> 32);
    }

    /** A 64-bit finaliser (SplitMix64's). */
    private static long mix(long z) {
        z = (z ^ z >>> 30) * 0xBF58476D1CE4E5B9L;
        z = (z ^ z >>> 27) * 0x94D049BB133111EBL;
        return z ^ z >>> 31;
    }

    @SuppressWarnings("unchecked")
    private static <V> Entry<V>[] newBuckets(int n) {
        return (Entry<V>[]) new Entry<?>[n];
    }

    private static final class Entry<V> {
        final FlowKey key;
        final boolean v6;
        final int protocol;
        final int srcPort;
        final int dstPort;
        final long s0;
        final long s1;
        final long d0;
        final long d1;
        int hash;
        V value;
        Entry<V> next;

        Entry(FlowKey key, V value) {
            this.key = key;
            this.value = value;
            this.protocol = key.protocol();
            this.srcPort = key.srcPort();
            this.dstPort = key.dstPort();
            switch (key.addresses()) {
                case AddressPair.V4 a -> {
                    v6 = false;
                    s0 = 0;
                    s1 = a.src() & 0xFFFF_FFFFL;
                    d0 = 0;
                    d1 = a.dst() & 0xFFFF_FFFFL;
                }
                case AddressPair.V6 a -> {
                    v6 = true;
                    s0 = a.srcHi();
                    s1 = a.srcLo();
                    d0 = a.dstHi();
                    d1 = a.dstLo();
                }
            }
        }
    }
}
