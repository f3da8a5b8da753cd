package net.braid.testbed.impair;

import java.nio.ByteBuffer;

/**
 * A fixed number of equal-sized slots carved from one direct buffer, each with a view made once,
 * so holding a datagram while it waits costs no allocation. Not thread-safe; the {@link Lane}
 * guards it.
 */
final class PacketPool {
    private final ByteBuffer[] views;
    private final int[] lengths;
    private final int[] free;
    private int freeCount;
    private final int slotSize;

    PacketPool(int slots, int slotSize) {
        if (slots < 1 || slotSize < 1) {
            throw new IllegalArgumentException("pool needs at least one slot of one byte: " + slots + " x " + slotSize);
        }
        ByteBuffer slab = ByteBuffer.allocateDirect(Math.multiplyExact(slots, slotSize));
        this.views = new ByteBuffer[slots];
        this.lengths = new int[slots];
        this.free = new int[slots];
        this.slotSize = slotSize;
        for (int i = 0; i < slots; i++) {
            views[i] = slab.slice(i * slotSize, slotSize);
            free[i] = slots - 1 - i;
        }
        freeCount = slots;
    }

    int slotSize() {
        return slotSize;
    }

    int capacity() {
        return views.length;
    }

    int available() {
        return freeCount;
    }

    /** A free slot holding a copy of {@code source}'s remaining bytes (position unchanged), or -1 if none is free. */
    int store(ByteBuffer source) {
        int length = source.remaining();
        if (length > slotSize) {
            throw new IllegalArgumentException("datagram of " + length + " bytes exceeds the slot size " + slotSize);
        }
        if (freeCount == 0) {
            return -1;
        }
        int slot = free[--freeCount];
        // datagram() left this view's limit at the slot's previous length; an absolute put checks
        // against the limit, so a longer datagram in a reused slot would throw without the clear.
        views[slot].clear().put(0, source, source.position(), length);
        lengths[slot] = length;
        return slot;
    }

    /** The slot's datagram, positioned to be sent. */
    ByteBuffer datagram(int slot) {
        return views[slot].clear().limit(lengths[slot]);
    }

    void release(int slot) {
        free[freeCount++] = slot;
    }
}
