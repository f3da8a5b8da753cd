package net.braid.linux;

import java.io.IOException;
import java.util.Map;

/**
 * A system call failed: which operation, the errno number, its symbolic name and the C
 * library's text, plus, where braid knows the usual cause, what to do about it.
 *
 * <p>Example message: {@code ioctl TUNSETIFF braid0: EBUSY (Device or resource busy): the
 * interface name braid0 is already in use by another open TUN}.
 */
public final class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    // Numbers from asm-generic/errno-base.h and asm-generic/errno.h (x86_64 and aarch64 agree).
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int EBADFD = 77;
    public static final int EMSGSIZE = 90;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENOBUFS = 105;
    public static final int ENETUNREACH = 101;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;

    /** Fallback when libc lacks strerrorname_np (glibc before 2.32, musl). */
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(EPERM, "EPERM"), Map.entry(ENOENT, "ENOENT"), Map.entry(EINTR, "EINTR"),
            Map.entry(EIO, "EIO"), Map.entry(ENXIO, "ENXIO"), Map.entry(EBADF, "EBADF"),
            Map.entry(EAGAIN, "EAGAIN"), Map.entry(ENOMEM, "ENOMEM"), Map.entry(EACCES, "EACCES"),
            Map.entry(EFAULT, "EFAULT"), Map.entry(EBUSY, "EBUSY"), Map.entry(EEXIST, "EEXIST"),
            Map.entry(ENODEV, "ENODEV"), Map.entry(EINVAL, "EINVAL"), Map.entry(EBADFD, "EBADFD"),
            Map.entry(EMSGSIZE, "EMSGSIZE"), Map.entry(EAFNOSUPPORT, "EAFNOSUPPORT"), Map.entry(EADDRINUSE, "EADDRINUSE"),
            Map.entry(ENOBUFS, "ENOBUFS"), Map.entry(ENETUNREACH, "ENETUNREACH"),
            Map.entry(ECONNREFUSED, "ECONNREFUSED"), Map.entry(EHOSTUNREACH, "EHOSTUNREACH"));

    private final String operation;
    private final int errno;
    private final String errnoName;

    public ErrnoException(String operation, int errno) {
        this(operation, errno, null);
    }

    /** @param hint what the caller knows about this errno in this operation, or null */
    public ErrnoException(String operation, int errno, String hint) {
        super(message(operation, errno, hint));
        this.operation = operation;
        this.errno = errno;
        this.errnoName = nameOf(errno);
    }

    /** The errno number, e.g. 16. */
    public int errno() {
        return errno;
    }

    /** The symbolic name, e.g. {@code EBUSY}; {@code errno 1234} when unknown. */
    public String errnoName() {
        return errnoName;
    }

    /** What failed, e.g. {@code ioctl TUNSETIFF braid0}. */
    public String operation() {
        return operation;
    }

    /** The symbolic name of an errno number, e.g. {@code EACCES} for 13. */
    public static String nameOf(int errno) {
        return Libc.errnoName(errno).orElseGet(() -> NAMES.getOrDefault(errno, "errno " + errno));
    }

    private static String message(String operation, int errno, String hint) {
        String text = operation + ": " + nameOf(errno) + " (" + Libc.strerror(errno) + ")";
        return hint == null ? text : text + ": " + hint;
    }
}
