package net.braid.multipath.reorder;

/**
 * Where a {@link ReorderBuffer} hands packets on, in strictly increasing counter order. The
 * sink owns the packet from then on (writes it to the TUN, returns it to its pool).
 */
@FunctionalInterface
public interface ReorderBufferSink<T> {

    void release(long counter, T packet);
}
