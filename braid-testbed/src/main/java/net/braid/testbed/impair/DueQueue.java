package net.braid.testbed.impair;

/**
 * A min-heap of packet slots keyed by due time, ties broken by arrival order, so two datagrams due
 * at the same nanosecond leave in the order they came. Primitive arrays only: adding and removing
 * allocate nothing. Not thread-safe; the {@link Lane} guards it.
 */
final class DueQueue {
    private final long[] due;
    private final long[] order;
    private final int[] slot;
    private int size;

    DueQueue(int capacity) {
        due = new long[capacity];
        order = new long[capacity];
        slot = new int[capacity];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Adds {@code slotIndex}, due at {@code dueNanos}; {@code arrival} must grow with every add. */
    void add(long dueNanos, long arrival, int slotIndex) {
        if (size == due.length) {
            throw new IllegalStateException("due queue full (" + size + ")");
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(dueNanos, arrival, due[parent], order[parent])) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        due[i] = dueNanos;
        order[i] = arrival;
        slot[i] = slotIndex;
    }

    /** The due time of the first slot; only when not empty. */
    long firstDue() {
        return due[0];
    }

    int firstSlot() {
        return slot[0];
    }

    /** Removes and returns the first slot. */
    int removeFirst() {
        if (size == 0) {
            throw new IllegalStateException("due queue empty");
        }
        int first = slot[0];
        int last = --size;
        long lastDue = due[last];
        long lastOrder = order[last];
        int lastSlot = slot[last];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(due[child + 1], order[child + 1], due[child], order[child])) {
                child++;
            }
            if (!before(due[child], order[child], lastDue, lastOrder)) {
                break;
            }
            move(child, i);
            i = child;
        }
        due[i] = lastDue;
        order[i] = lastOrder;
        slot[i] = lastSlot;
        return first;
    }

    private void move(int from, int to) {
        due[to] = due[from];
        order[to] = order[from];
        slot[to] = slot[from];
    }

    private static boolean before(long dueA, long orderA, long dueB, long orderB) {
        long d = dueA - dueB; // nanoTime values: compare by difference, they may wrap
        return d < 0 || (d == 0 && orderA < orderB);
    }
}
