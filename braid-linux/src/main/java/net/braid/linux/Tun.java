package net.braid.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import net.braid.device.PacketDevice;
import net.braid.packet.offload.TcpCoalescer;
import net.braid.packet.offload.TcpSegmenter;
import net.braid.packet.offload.VirtioNetHeader;

/**
 * A Linux TUN interface (layer 3, no packet-info header) opened through /dev/net/tun.
 *
 * <p>The interface lives in the network namespace of the thread that calls {@link #open} (see
 * {@link NetNamespace#run}); its descriptor then works from any thread. It is not persistent:
 * {@link #close} removes it. The descriptor is non-blocking; {@link #read} waits in poll(2) on it
 * and on the eventfd of a {@link CloseGate}, which also keeps the descriptor open until the last
 * reader or writer has left, so closing neither blocks nor races a blocked reader.
 *
 * <p>With {@link Offload#TCP} (opt-in, see {@link #open(String, int, Offload)}) the kernel and
 * the TUN exchange TCP super-packets of up to 64 KiB behind a virtio-net header, as
 * wireguard-go's tun does: {@link #read} reads one into a private buffer and hands out its
 * MTU-sized segments ({@link TcpSegmenter}), keeping what does not fit for the next call;
 * {@link #write} merges runs of segments of a flow ({@link TcpCoalescer}). The packets callers see
 * are the same as without offloads, so the kernel's TCP stack runs once per 64 KiB while the
 * tunnel still moves MTU-sized packets.
 */
public final class Tun implements PacketDevice {
    // include/uapi/linux/if_tun.h
    private static final long TUNSETIFF = 0x400454caL; // _IOW('T', 202, int)
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_VNET_HDR = 0x4000;
    private static final long TUNSETOFFLOAD = 0x400454d0L; // _IOW('T', 208, unsigned int)
    private static final long TUNSETVNETHDRSZ = 0x400454d8L; // _IOW('T', 216, int)
    private static final long TUNSETVNETLE = 0x400454dcL; // _IOW('T', 220, int)
    private static final long TUN_F_CSUM = 0x01;
    private static final long TUN_F_TSO4 = 0x02;
    private static final long TUN_F_TSO6 = 0x04;
    /** A super-packet: the kernel's GSO limit (64 KiB) plus the virtio-net header, with room to spare. */
    private static final int SUPER_PACKET_BUFFER = VirtioNetHeader.LENGTH + 65_536 + 512;
    private static final int COALESCE_BATCH = 64;
    private static final Logger LOG = Logger.getLogger(Tun.class.getName());
    // include/uapi/linux/sockios.h, include/uapi/linux/if.h
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final long SIOCSIFMTU = 0x8922;
    private static final short IFF_UP = 0x1;
    /**
     * struct ifreq (include/uapi/linux/if.h): char ifr_name[IFNAMSIZ] then a union whose
     * largest member, struct ifmap, is 24 bytes on LP64: 40 bytes. ifr_flags (short) and
     * ifr_mtu (int) both sit at the start of the union.
     */
    private static final int IFNAMSIZ = 16;
    private static final int IFREQ_SIZE = 40;
    private static final int IFR_UNION = 16;

    private static final String TUN_PATH = "/dev/net/tun";
    static final String NEEDS_CAP_NET_ADMIN =
            "creating and configuring interfaces needs CAP_NET_ADMIN: run as root or grant it "
                    + "(for example setcap cap_net_admin+ep on the java binary)";
    /** Heap buffers go through this native scratch space; the largest IP packet fits. */
    private static final int SCRATCH_SIZE = 65_535;
    private static final int WRITE_POLL_MILLIS = 100;
    private static final int WRITE_ATTEMPTS = 3;

    private final String name;
    private final int mtu;
    private final int tunFd;
    private final CloseGate gate;
    // One call-state (errno) segment per thread role: one reader, one writer.
    private final MemorySegment readState;
    private final MemorySegment writeState;
    private final MemorySegment readPoll;
    private final MemorySegment writePoll;
    private final MemorySegment readScratch;
    private final MemorySegment writeScratch;

    private final AtomicLong packetsRead = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong packetsWritten = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong droppedWrites = new AtomicLong();

    // Offload mode only (null otherwise): the super-packet being handed out, and the writer's coalescer.
    private final MemorySegment superRead;
    private final ByteBuffer superReadBuffer;
    private int pendingLength;
    private int pendingNext;
    private int pendingCount;
    private final TcpCoalescer coalescer;
    private final MemorySegment superWrite;
    private final ByteBuffer superWriteBuffer;
    private final AtomicLong superPacketsRead = new AtomicLong();
    private final AtomicLong malformedReads = new AtomicLong();
    private final AtomicLong superPacketsWritten = new AtomicLong();
    private final ByteBuffer[] chunk = new ByteBuffer[COALESCE_BATCH];

    private Tun(String name, int mtu, int tunFd, int wakeFd, Arena arena, boolean offload) {
        this.name = name;
        this.mtu = mtu;
        this.tunFd = tunFd;
        this.gate = new CloseGate(arena, wakeFd, state -> Libc.close(state, tunFd));
        this.readState = arena.allocate(Libc.CALL_STATE);
        this.writeState = arena.allocate(Libc.CALL_STATE);
        this.readPoll = pollSet(arena, tunFd, Libc.POLLIN, wakeFd);
        this.writePoll = pollSet(arena, tunFd, Libc.POLLOUT, wakeFd);
        this.readScratch = arena.allocate(SCRATCH_SIZE);
        this.writeScratch = arena.allocate(SCRATCH_SIZE);
        if (offload) {
            superRead = arena.allocate(SUPER_PACKET_BUFFER, 8);
            superReadBuffer = superRead.asByteBuffer();
            superWrite = arena.allocate(TcpCoalescer.MAX_OUTPUT, 8);
            superWriteBuffer = superWrite.asByteBuffer();
            coalescer = new TcpCoalescer(COALESCE_BATCH);
        } else {
            superRead = null;
            superReadBuffer = null;
            superWrite = null;
            superWriteBuffer = null;
            coalescer = null;
        }
    }

    /** Two struct pollfd: the TUN with the given events, then the close eventfd for POLLIN. */
    private static MemorySegment pollSet(Arena arena, int tunFd, short tunEvents, int wakeFd) {
        MemorySegment fds = arena.allocate(2L * Libc.POLLFD_SIZE, 8);
        fds.set(JAVA_INT, 0, tunFd);
        fds.set(JAVA_SHORT, Libc.POLLFD_EVENTS, tunEvents);
        fds.set(JAVA_INT, Libc.POLLFD_SIZE, wakeFd);
        fds.set(JAVA_SHORT, Libc.POLLFD_SIZE + Libc.POLLFD_EVENTS, Libc.POLLIN);
        return fds;
    }

    /**
     * Creates a TUN interface in the calling thread's network namespace, sets its MTU and
     * brings it up. The name may hold one {@code %d} for the kernel to number (braid%d).
     *
     * @throws IllegalArgumentException for a name Linux would refuse or an MTU out of range
     * @throws ErrnoException when the kernel refuses, with the likely cause in the message
     */
    public static Tun open(String name, int mtu) throws IOException {
        return open(name, mtu, Offload.NONE);
    }

    /**
     * As {@link #open(String, int)}, asking the kernel for {@code offload}. A kernel that refuses
     * (no IFF_VNET_HDR or TUNSETOFFLOAD, or a big-endian host without TUNSETVNETLE) gets a plain
     * TUN and a log line; {@link #offload()} tells which mode is on.
     */
    public static Tun open(String name, int mtu, Offload offload) throws IOException {
        validateName(name);
        if (mtu < 68 || mtu > 65_535) {
            throw new IllegalArgumentException("MTU " + mtu + " is outside 68..65535");
        }
        if (offload == Offload.TCP) {
            try {
                return create(name, mtu, true);
            } catch (OffloadsRefused e) {
                LOG.info("TUN " + name + ": the kernel refused TCP offloads (" + e.getMessage()
                        + "); using one packet per system call");
            }
        }
        return create(name, mtu, false);
    }

    private static Tun create(String name, int mtu, boolean offload) throws IOException {
        Arena arena = Arena.ofShared();
        int tunFd = -1;
        int wakeFd = -1;
        try (Arena setup = Arena.ofConfined()) {
            MemorySegment state = setup.allocate(Libc.CALL_STATE);
            tunFd = Libc.open(state, setup.allocateFrom(TUN_PATH),
                    Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
            if (tunFd < 0) throw openError(Libc.errno(state));

            MemorySegment ifr = ifreq(setup, name);
            ifr.set(JAVA_SHORT, IFR_UNION, (short) (IFF_TUN | IFF_NO_PI | (offload ? IFF_VNET_HDR : 0)));
            if (Libc.ioctl(state, tunFd, TUNSETIFF, ifr) < 0) {
                throw setIffError(name, Libc.errno(state));
            }
            if (offload) {
                try {
                    enableOffloads(setup, state, tunFd);
                } catch (ErrnoException e) {
                    throw new OffloadsRefused(e);
                }
            }
            String actual = ifr.getString(0, StandardCharsets.US_ASCII);
            configureLink(setup, state, actual, mtu);

            wakeFd = CloseGate.newWakeFd(state);
            return new Tun(actual, mtu, tunFd, wakeFd, arena, offload);
        } catch (IOException | RuntimeException | Error e) {
            try (Arena cleanup = Arena.ofConfined()) {
                MemorySegment state = cleanup.allocate(Libc.CALL_STATE);
                if (tunFd >= 0) Libc.close(state, tunFd);
                if (wakeFd >= 0) Libc.close(state, wakeFd);
            }
            arena.close();
            throw e;
        }
    }

    /**
     * Header size 10 (struct virtio_net_hdr, no num_buffers), little-endian (the codec's order:
     * native on x86-64 and arm64, asked for with TUNSETVNETLE elsewhere), then checksum and TSO
     * offloads. Not USO: braid's segmenter handles TCP only, and UDP is sent MTU-sized anyway.
     */
    private static void enableOffloads(Arena arena, MemorySegment state, int tunFd) throws ErrnoException {
        MemorySegment value = arena.allocate(JAVA_INT);
        value.set(JAVA_INT, 0, VirtioNetHeader.LENGTH);
        if (Libc.ioctl(state, tunFd, TUNSETVNETHDRSZ, value) < 0) {
            throw new ErrnoException("ioctl TUNSETVNETHDRSZ", Libc.errno(state));
        }
        if (java.nio.ByteOrder.nativeOrder() != java.nio.ByteOrder.LITTLE_ENDIAN) {
            value.set(JAVA_INT, 0, 1);
            if (Libc.ioctl(state, tunFd, TUNSETVNETLE, value) < 0) {
                throw new ErrnoException("ioctl TUNSETVNETLE", Libc.errno(state));
            }
        }
        // TUNSETOFFLOAD takes the flags by value, not through a pointer.
        MemorySegment flags = MemorySegment.ofAddress(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6);
        if (Libc.ioctl(state, tunFd, TUNSETOFFLOAD, flags) < 0) {
            throw new ErrnoException("ioctl TUNSETOFFLOAD", Libc.errno(state));
        }
    }

    private static final class OffloadsRefused extends IOException {
        OffloadsRefused(ErrnoException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Rules of the kernel's dev_valid_name(), checked here so the message can say which. */
    static void validateName(String name) {
        Objects.requireNonNull(name, "name");
        int length = name.getBytes(StandardCharsets.UTF_8).length;
        if (length == 0 || length >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name '" + name + "' is " + length
                    + " bytes; Linux allows 1 to " + (IFNAMSIZ - 1) + " (IFNAMSIZ " + IFNAMSIZ
                    + " with the terminating NUL)");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("interface name '" + name + "' is not allowed");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException("interface name '" + name
                        + "' contains '" + c + "'; use printable ASCII without '/', ':' or spaces");
            }
        }
    }

    private static MemorySegment ifreq(Arena arena, String name) {
        MemorySegment ifr = arena.allocate(IFREQ_SIZE, 8); // zeroed: the name is NUL-terminated
        ifr.setString(0, name, StandardCharsets.US_ASCII);
        return ifr;
    }

    private static ErrnoException openError(int errno) {
        String hint = switch (errno) {
            case ErrnoException.ENOENT -> TUN_PATH + " is missing: load the TUN module"
                    + " (modprobe tun) or create the device node (mknod " + TUN_PATH + " c 10 200)";
            case ErrnoException.ENODEV, ErrnoException.ENXIO ->
                    "the TUN driver is not loaded: modprobe tun";
            case ErrnoException.EPERM, ErrnoException.EACCES -> NEEDS_CAP_NET_ADMIN;
            default -> null;
        };
        return new ErrnoException("open " + TUN_PATH, errno, hint);
    }

    private static ErrnoException setIffError(String name, int errno) {
        String hint = switch (errno) {
            case ErrnoException.EBUSY ->
                    "the interface name " + name + " is already in use by another open TUN";
            case ErrnoException.EPERM, ErrnoException.EACCES -> NEEDS_CAP_NET_ADMIN;
            case ErrnoException.EINVAL ->
                    "an interface named " + name + " exists and is not a TUN, or the name is invalid";
            default -> null;
        };
        return new ErrnoException("ioctl TUNSETIFF " + name, errno, hint);
    }

    /**
     * MTU and IFF_UP through an AF_INET datagram socket: the socket belongs to the calling
     * thread's network namespace, the same one the TUN was just created in.
     */
    private static void configureLink(Arena arena, MemorySegment state, String name, int mtu)
            throws ErrnoException {
        int sock = Libc.socket(state, Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        if (sock < 0) throw new ErrnoException("socket AF_INET", Libc.errno(state));
        try {
            MemorySegment ifr = ifreq(arena, name);
            ifr.set(JAVA_INT, IFR_UNION, mtu);
            if (Libc.ioctl(state, sock, SIOCSIFMTU, ifr) < 0) {
                int errno = Libc.errno(state);
                throw new ErrnoException("ioctl SIOCSIFMTU " + name + " " + mtu, errno,
                        errno == ErrnoException.EPERM ? NEEDS_CAP_NET_ADMIN : null);
            }
            if (Libc.ioctl(state, sock, SIOCGIFFLAGS, ifr) < 0) {
                throw new ErrnoException("ioctl SIOCGIFFLAGS " + name, Libc.errno(state));
            }
            short flags = ifr.get(JAVA_SHORT, IFR_UNION);
            ifr.set(JAVA_SHORT, IFR_UNION, (short) (flags | IFF_UP));
            if (Libc.ioctl(state, sock, SIOCSIFFLAGS, ifr) < 0) {
                int errno = Libc.errno(state);
                throw new ErrnoException("ioctl SIOCSIFFLAGS " + name + " up", errno,
                        errno == ErrnoException.EPERM ? NEEDS_CAP_NET_ADMIN : null);
            }
        } finally {
            Libc.close(state, sock);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public int read(ByteBuffer[] packets) throws IOException {
        if (packets.length == 0) throw new IllegalArgumentException("no buffers to read into");
        if (!gate.enter()) return -1;
        try {
            while (!gate.isClosed()) {
                int n = 0;
                long bytes = 0;
                if (coalescer != null) {
                    n = readSegments(packets);
                    for (int i = 0; i < n; i++) bytes += packets[i].remaining();
                } else {
                    while (n < packets.length) {
                        int length = readOne(packets[n]);
                        if (length < 0) break;
                        bytes += length;
                        n++;
                    }
                }
                if (n > 0) {
                    packetsRead.addAndGet(n);
                    bytesRead.addAndGet(bytes);
                    return n;
                }
                awaitReadable();
            }
            return -1;
        } finally {
            gate.exit();
        }
    }

    private void checkReadBuffer(ByteBuffer b) {
        if (b.isReadOnly() || b.capacity() < mtu) {
            throw new IllegalArgumentException("read buffers must be writable and hold mtu "
                    + mtu + " bytes; got " + b);
        }
    }

    /**
     * Offload mode: first the segments left over from the last super-packet, then as many more
     * super-packets as are queued and fit; 0 when nothing is queued.
     */
    private int readSegments(ByteBuffer[] packets) throws ErrnoException {
        for (ByteBuffer b : packets) checkReadBuffer(b);
        int n = 0;
        while (n < packets.length) {
            if (pendingNext == pendingCount) {
                long r = readRaw(superRead, SUPER_PACKET_BUFFER);
                if (r < 0) break;
                int count = TcpSegmenter.count(superReadBuffer, 0, (int) r);
                if (count < 0) {
                    malformedReads.incrementAndGet();
                    continue;
                }
                if (VirtioNetHeader.gsoType(superReadBuffer, 0) != VirtioNetHeader.GSO_NONE) {
                    superPacketsRead.incrementAndGet();
                }
                pendingLength = (int) r;
                pendingNext = 0;
                pendingCount = count;
            }
            int k = TcpSegmenter.segment(superReadBuffer, 0, pendingLength, pendingNext, packets, n, packets.length - n);
            if (k < 0) { // a segment longer than the MTU buffers: the kernel should never send one
                malformedReads.incrementAndGet();
                pendingNext = pendingCount;
                continue;
            }
            n += k;
            pendingNext += k;
        }
        return n;
    }

    /** One read(2) into native memory: its length, or -1 when nothing is queued. */
    private long readRaw(MemorySegment target, long size) throws ErrnoException {
        while (true) {
            long r = Libc.read(readState, tunFd, target, size);
            if (r > 0) return r;
            if (r == 0) return -1;
            int errno = Libc.errno(readState);
            switch (errno) {
                case ErrnoException.EINTR -> { }
                case ErrnoException.EAGAIN -> { return -1; }
                default -> throw deviceError("read " + name, errno);
            }
        }
    }

    /** One packet into the buffer (position 0, limit at its end); -1 when none is queued. */
    private int readOne(ByteBuffer b) throws ErrnoException {
        checkReadBuffer(b);
        b.clear();
        while (true) {
            long r;
            if (b.isDirect()) {
                MemorySegment target = MemorySegment.ofBuffer(b);
                r = Libc.read(readState, tunFd, target, target.byteSize());
            } else {
                r = Libc.read(readState, tunFd, readScratch, Math.min(b.capacity(), SCRATCH_SIZE));
                if (r > 0) {
                    MemorySegment.copy(readScratch, JAVA_BYTE, 0, b.array(), b.arrayOffset(), (int) r);
                }
            }
            if (r > 0) {
                b.limit((int) r);
                return (int) r;
            }
            if (r == 0) return -1;
            int errno = Libc.errno(readState);
            switch (errno) {
                case ErrnoException.EINTR -> { }
                case ErrnoException.EAGAIN -> { return -1; }
                default -> throw deviceError("read " + name, errno);
            }
        }
    }

    /** Blocks until the TUN has a packet (or an error to report) or close() was called. */
    private void awaitReadable() throws ErrnoException {
        if (Libc.poll(readState, readPoll, 2, -1) < 0) {
            int errno = Libc.errno(readState);
            if (errno != ErrnoException.EINTR) throw new ErrnoException("poll " + name, errno);
        }
    }

    @Override
    public void write(ByteBuffer[] packets, int count) throws IOException {
        Objects.checkFromIndexSize(0, count, packets.length);
        if (!gate.enter()) {
            droppedWrites.addAndGet(count); // closed: like any refused packet, counted
            return;
        }
        try {
            if (coalescer != null) {
                for (int from = 0; from < count; from += COALESCE_BATCH) {
                    writeCoalesced(packets, from, Math.min(COALESCE_BATCH, count - from));
                }
                return;
            }
            int written = 0;
            long bytes = 0;
            for (int i = 0; i < count; i++) {
                if (writeOne(packets[i])) {
                    written++;
                    bytes += packets[i].remaining();
                } else {
                    droppedWrites.incrementAndGet();
                }
            }
            packetsWritten.addAndGet(written);
            bytesWritten.addAndGet(bytes);
        } finally {
            gate.exit();
        }
    }

    /**
     * Offload mode: each output of the coalescer, a virtio-net header and a packet (merged or as
     * it came), in one write(2). Counts input packets; bytes are those of the IP packets written.
     */
    private void writeCoalesced(ByteBuffer[] packets, int from, int count) throws ErrnoException {
        ByteBuffer[] batch = packets;
        if (from != 0) {
            // Rare (batches beyond 64): shift this chunk to the front of a scratch view.
            batch = chunk;
            System.arraycopy(packets, from, batch, 0, count);
        }
        int outputs = coalescer.coalesce(batch, count);
        int written = 0;
        long bytes = 0;
        for (int k = 0; k < outputs; k++) {
            int length = coalescer.write(k, superWriteBuffer);
            int segments = coalescer.segments(k);
            if (writeNative(superWrite, length)) {
                written += segments;
                bytes += length - VirtioNetHeader.LENGTH;
                if (segments > 1) superPacketsWritten.incrementAndGet();
            } else {
                droppedWrites.addAndGet(segments);
            }
        }
        packetsWritten.addAndGet(written);
        bytesWritten.addAndGet(bytes);
        if (batch == chunk) java.util.Arrays.fill(chunk, null);
    }

    /** Writes position..limit (leaving the buffer as it was); false if the packet was dropped. */
    private boolean writeOne(ByteBuffer b) throws ErrnoException {
        int length = b.remaining();
        MemorySegment source;
        if (b.isDirect()) {
            source = MemorySegment.ofBuffer(b);
        } else if (length > SCRATCH_SIZE) {
            return false;
        } else {
            if (b.hasArray()) {
                MemorySegment.copy(b.array(), b.arrayOffset() + b.position(), writeScratch, JAVA_BYTE, 0, length);
            } else { // read-only heap buffer
                writeScratch.asSlice(0, length).asByteBuffer().put(b.duplicate());
            }
            source = writeScratch;
        }
        return writeNative(source, length);
    }

    /** One write(2) of a whole packet, retried while the queue is full; false if it was dropped. */
    private boolean writeNative(MemorySegment source, int length) throws ErrnoException {
        for (int attempt = 0; attempt < WRITE_ATTEMPTS; ) {
            if (gate.isClosed()) return false;
            if (Libc.write(writeState, tunFd, source, length) >= 0) return true;
            int errno = Libc.errno(writeState);
            switch (errno) {
                case ErrnoException.EINTR -> { }
                case ErrnoException.EAGAIN -> {
                    attempt++;
                    awaitWritable();
                }
                // The kernel refused this packet (tun_get_user: not IPv4/IPv6, too short or
                // long, link down, out of memory): drop it, the next one may pass.
                case ErrnoException.EINVAL, ErrnoException.EMSGSIZE, ErrnoException.EIO,
                        ErrnoException.ENOMEM, ErrnoException.ENOBUFS, ErrnoException.EAFNOSUPPORT -> {
                    return false;
                }
                default -> throw deviceError("write " + name, errno);
            }
        }
        return false;
    }

    private void awaitWritable() throws ErrnoException {
        if (Libc.poll(writeState, writePoll, 2, WRITE_POLL_MILLIS) < 0) {
            int errno = Libc.errno(writeState);
            if (errno != ErrnoException.EINTR) throw new ErrnoException("poll " + name, errno);
        }
    }

    private ErrnoException deviceError(String operation, int errno) {
        return new ErrnoException(operation, errno, errno == ErrnoException.EBADFD
                ? "the interface was removed (was its network namespace deleted?)" : null);
    }

    @Override
    public void close() {
        gate.close();
    }

    /** The offloads in force: what was asked for, or {@link Offload#NONE} if the kernel refused. */
    public Offload offload() {
        return coalescer != null ? Offload.TCP : Offload.NONE;
    }

    /** Offload mode: super-packets (GSO) the kernel handed out, each split into {@link #packetsRead} packets. */
    public long superPacketsRead() {
        return superPacketsRead.get();
    }

    /** Offload mode: reads dropped because the virtio-net header or packet made no sense. */
    public long malformedReads() {
        return malformedReads.get();
    }

    /** Offload mode: merged packets written, each carrying two or more of the {@link #packetsWritten}. */
    public long superPacketsWritten() {
        return superPacketsWritten.get();
    }

    public long packetsRead() {
        return packetsRead.get();
    }

    public long bytesRead() {
        return bytesRead.get();
    }

    public long packetsWritten() {
        return packetsWritten.get();
    }

    public long bytesWritten() {
        return bytesWritten.get();
    }

    /** Packets the kernel refused or that arrived after close, dropped rather than thrown. */
    public long droppedWrites() {
        return droppedWrites.get();
    }

    @Override
    public String toString() {
        return "Tun[" + name + ", mtu " + mtu + (coalescer != null ? ", offload TCP" : "") + (gate.isClosed() ? ", closed" : "") + "]";
    }
}
