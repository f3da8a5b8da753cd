package net.braid.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Lets {@link #close} stop a descriptor-backed device while its reader or writer sits in a
 * system call, without blocking and without closing a descriptor under them.
 *
 * <p>Callers bracket each system-call section with {@link #enter}/{@link #exit}. {@code close}
 * writes an eventfd that blocked pollers also watch; the eventfd is never drained, so every
 * later poll sees it too. The descriptors and the native memory are freed by whoever leaves
 * last (a reference count: 1 for the device itself plus one per caller inside), so a
 * descriptor number is never used after close(2) handed it to someone else.
 */
final class CloseGate {
    private final Arena arena;
    private final int wakeFd;
    private final Consumer<MemorySegment> closeDescriptors;
    private final MemorySegment state;
    private final MemorySegment one;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * @param arena the device's arena, closed last
     * @param closeDescriptors closes the device's own descriptors, given a call-state
     *     segment to use; runs once, by the last one out
     */
    CloseGate(Arena arena, int wakeFd, Consumer<MemorySegment> closeDescriptors) {
        this.arena = arena;
        this.wakeFd = wakeFd;
        this.closeDescriptors = closeDescriptors;
        this.state = arena.allocate(Libc.CALL_STATE);
        this.one = arena.allocate(JAVA_LONG);
        one.set(JAVA_LONG, 0, 1L);
    }

    /** A non-blocking, close-on-exec eventfd for the gate, or an ErrnoException. */
    static int newWakeFd(MemorySegment state) throws ErrnoException {
        int fd = Libc.eventfd(state, 0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (fd < 0) throw new ErrnoException("eventfd", Libc.errno(state));
        return fd;
    }

    /** The eventfd to poll for POLLIN next to the device's own descriptor. */
    int wakeFd() {
        return wakeFd;
    }

    boolean isClosed() {
        return closed;
    }

    /** False once the descriptors are gone; otherwise they stay open until {@link #exit}. */
    boolean enter() {
        int r;
        do {
            r = refs.get();
            if (r == 0) return false;
        } while (!refs.compareAndSet(r, r + 1));
        return true;
    }

    void exit() {
        if (refs.decrementAndGet() != 0) return;
        closeDescriptors.accept(state);
        Libc.close(state, wakeFd);
        arena.close();
    }

    /** Idempotent and non-blocking: wakes pollers, then drops the device's own reference. */
    void close() {
        if (!closing.compareAndSet(false, true)) return;
        closed = true;
        Libc.write(state, wakeFd, one, Long.BYTES); // our reference keeps wakeFd open here
        exit();
    }
}
