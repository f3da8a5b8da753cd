package net.braid.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Named network namespaces (iproute2's /var/run/netns/NAME) and moving a platform thread into
 * one with setns(2).
 *
 * <p>setns changes the namespace of one OS thread only. Sockets and TUNs a thread creates belong
 * to its namespace for their whole life and keep working from any thread afterwards, so the
 * usual shape is {@code Tun tun = NetNamespace.run("braid-a", () -> Tun.open("braid0", 1400))}.
 */
public final class NetNamespace {
    private NetNamespace() {}

    private static final String NETNS_DIR = "/var/run/netns/";

    /** {@code ip netns add NAME}. */
    public static void create(String name) throws IOException {
        validateName(name);
        IpCommand.run(null, "netns", "add", name);
    }

    /** {@code ip netns delete NAME}: its interfaces (TUNs included) go with it. */
    public static void delete(String name) throws IOException {
        validateName(name);
        IpCommand.run(null, "netns", "delete", name);
    }

    /**
     * Moves the calling platform thread into the named namespace, for good: use a thread of
     * its own (see {@link #run}).
     *
     * @throws IllegalStateException on a virtual thread, whose carrier thread changes under it
     * @throws ErrnoException if the namespace does not exist or setns is not permitted
     */
    public static void enter(String name) throws IOException {
        validateName(name);
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("cannot enter network namespace " + name
                    + " from a virtual thread: setns(2) moves the OS carrier thread, which other"
                    + " virtual threads share; use NetNamespace.run or a platform thread");
        }
        String path = NETNS_DIR + name;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            int fd = Libc.open(state, arena.allocateFrom(path), Libc.O_RDONLY | Libc.O_CLOEXEC);
            if (fd < 0) {
                int errno = Libc.errno(state);
                throw new ErrnoException("open " + path, errno, errno == ErrnoException.ENOENT
                        ? "no network namespace named " + name + " (create it with: ip netns add " + name + ")"
                        : null);
            }
            try {
                if (Libc.setns(state, fd, Libc.CLONE_NEWNET) < 0) {
                    int errno = Libc.errno(state);
                    throw new ErrnoException("setns " + path, errno, errno == ErrnoException.EPERM
                            ? "entering a network namespace needs CAP_SYS_ADMIN: run as root" : null);
                }
            } finally {
                Libc.close(state, fd);
            }
        }
    }

    /**
     * Runs the task on a new platform thread that first entered the named namespace, waits for
     * it and returns its result; what the task throws is thrown here.
     */
    public static <T> T run(String name, Callable<T> task) throws Exception {
        validateName(name);
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("netns-" + name).start(() -> {
            try {
                enter(name);
                result.set(task.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.join();
        Throwable t = failure.get();
        if (t instanceof Exception e) throw e;
        if (t instanceof Error e) throw e;
        return result.get();
    }

    /** A name iproute2 accepts as a file name under /var/run/netns. */
    static void validateName(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")
                || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("invalid network namespace name '" + name + "'");
        }
    }
}
