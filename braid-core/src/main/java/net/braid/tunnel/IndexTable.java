package net.braid.tunnel;

import java.security.SecureRandom;

/**
 * Maps our random 32-bit session indices to sessions. Reads (one per received packet) are
 * lock-free and allocation-free against an immutable open-addressing snapshot; writes (one per
 * handshake) copy it under a lock.
 */
final class IndexTable {
    private record Table(int[] keys, Session[] values, int size) {}

    private final SecureRandom random = new SecureRandom();
    private volatile Table table = new Table(new int[16], new Session[16], 0);

    Session get(int index) {
        Table t = table;
        int mask = t.keys.length - 1;
        for (int i = mix(index) & mask; ; i = (i + 1) & mask) {
            Session s = t.values[i];
            if (s == null) return null;
            if (t.keys[i] == index) return s;
        }
    }

    /** Picks a fresh index not in use. The session is registered with {@link #put}. */
    synchronized int newIndex() {
        while (true) {
            int candidate = random.nextInt();
            if (get(candidate) == null && candidate != 0) return candidate;
        }
    }

    synchronized void put(Session s) {
        Table t = table;
        int capacity = t.keys.length;
        while ((t.size + 1) * 2 > capacity) capacity *= 2;
        table = rebuild(t, capacity, s, -1);
    }

    synchronized void remove(int index) {
        if (get(index) == null) return;
        table = rebuild(table, table.keys.length, null, index);
    }

    private static Table rebuild(Table old, int capacity, Session add, int removeIndex) {
        int[] keys = new int[capacity];
        Session[] values = new Session[capacity];
        int size = 0;
        for (int i = 0; i < old.keys.length; i++) {
            Session s = old.values[i];
            if (s != null && old.keys[i] != removeIndex) {
                insert(keys, values, old.keys[i], s);
                size++;
            }
        }
        if (add != null) {
            insert(keys, values, add.localIndex, add);
            size++;
        }
        return new Table(keys, values, size);
    }

    private static void insert(int[] keys, Session[] values, int key, Session s) {
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (values[i] != null) i = (i + 1) & mask;
        keys[i] = key;
        values[i] = s;
    }

    private static int mix(int x) {
        x *= 0x9E3779B9;
        return x ^ (x >>> 16);
    }
}
