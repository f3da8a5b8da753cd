package net.braid.masque.ip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.braid.config.IpPrefix;

/**
 * Which session owns an assigned address: the return path's longest-prefix lookup from a packet's
 * destination to its session. Writers (session start, ADDRESS_REQUEST, session end) copy the table
 * under a lock; readers take the current snapshot with one volatile read, then probe open-addressed
 * arrays once per distinct prefix length in use (usually one: /32 or /128), never allocating.
 */
final class SessionTable<T> {
    private final Map<IpPrefix, T> owners = new LinkedHashMap<>();
    private volatile Snapshot snapshot = new Snapshot(Map.of());

    synchronized void put(IpPrefix block, T owner) {
        owners.put(block.network(), owner);
        snapshot = new Snapshot(owners);
    }

    synchronized void remove(IpPrefix block, T owner) {
        if (owners.remove(block.network(), owner)) snapshot = new Snapshot(owners);
    }

    synchronized int size() {
        return owners.size();
    }

    @SuppressWarnings("unchecked")
    T lookupV4(int address) {
        Snapshot s = snapshot;
        return (T) s.v4(address);
    }

    @SuppressWarnings("unchecked")
    T lookupV6(long hi, long lo) {
        Snapshot s = snapshot;
        return (T) s.v6(hi, lo);
    }

    /** One immutable generation of the table. */
    private static final class Snapshot {
        final int[] v4Lengths; // longest first
        final long[] v4Keys; // (network << 8 | length), -1 when empty
        final Object[] v4Owners;
        final int[] v6Lengths;
        final long[] v6Hi;
        final long[] v6Lo;
        final int[] v6Len; // -1 when empty
        final Object[] v6Owners;

        Snapshot(Map<IpPrefix, ?> owners) {
            List<IpPrefix> v4 = new ArrayList<>();
            List<IpPrefix> v6 = new ArrayList<>();
            for (IpPrefix p : owners.keySet()) (p.isIpv6() ? v6 : v4).add(p);
            v4Lengths = v4.stream().mapToInt(IpPrefix::prefixLength).distinct().map(l -> -l).sorted().map(l -> -l).toArray();
            v6Lengths = v6.stream().mapToInt(IpPrefix::prefixLength).distinct().map(l -> -l).sorted().map(l -> -l).toArray();
            int c4 = capacity(v4.size());
            v4Keys = new long[c4];
            Arrays.fill(v4Keys, -1);
            v4Owners = new Object[c4];
            for (IpPrefix p : v4) {
                int net = (int) AddressBits.first(p).longValue();
                long key = v4Key(net, p.prefixLength());
                int i = slot(mix(key), c4);
                while (v4Keys[i] != -1) i = (i + 1) & (c4 - 1);
                v4Keys[i] = key;
                v4Owners[i] = owners.get(p);
            }
            int c6 = capacity(v6.size());
            v6Hi = new long[c6];
            v6Lo = new long[c6];
            v6Len = new int[c6];
            Arrays.fill(v6Len, -1);
            v6Owners = new Object[c6];
            for (IpPrefix p : v6) {
                var n = AddressBits.first(p);
                long hi = n.shiftRight(64).longValue();
                long lo = n.longValue();
                int i = slot(mix(hi ^ Long.rotateLeft(lo, 17) ^ p.prefixLength()), c6);
                while (v6Len[i] != -1) i = (i + 1) & (c6 - 1);
                v6Hi[i] = hi;
                v6Lo[i] = lo;
                v6Len[i] = p.prefixLength();
                v6Owners[i] = owners.get(p);
            }
        }

        Object v4(int address) {
            int c = v4Keys.length;
            for (int length : v4Lengths) {
                int net = length == 0 ? 0 : address & (-1 << (32 - length));
                long key = v4Key(net, length);
                for (int i = slot(mix(key), c); v4Keys[i] != -1; i = (i + 1) & (c - 1)) {
                    if (v4Keys[i] == key) return v4Owners[i];
                }
            }
            return null;
        }

        Object v6(long hi, long lo) {
            int c = v6Len.length;
            for (int length : v6Lengths) {
                long mHi = length >= 64 ? hi : length == 0 ? 0 : hi & (-1L << (64 - length));
                long mLo = length <= 64 ? 0 : length == 128 ? lo : lo & (-1L << (128 - length));
                for (int i = slot(mix(mHi ^ Long.rotateLeft(mLo, 17) ^ length), c); v6Len[i] != -1; i = (i + 1) & (c - 1)) {
                    if (v6Len[i] == length && v6Hi[i] == mHi && v6Lo[i] == mLo) return v6Owners[i];
                }
            }
            return null;
        }

        private static long v4Key(int network, int length) {
            return (network & 0xFFFF_FFFFL) << 8 | length;
        }

        /** A power of two at least twice the entries, so probes stay short and always end at an empty slot. */
        private static int capacity(int entries) {
            return Math.max(4, Integer.highestOneBit(Math.max(1, entries) * 2 - 1) << 1);
        }

        private static long mix(long x) {
            x ^= x >>> 33;
            x *= 0xff51afd7ed558ccdL;
            x ^= x >>> 33;
            return x;
        }

        private static int slot(long hash, int capacity) {
            return (int) hash & (capacity - 1);
        }
    }
}
