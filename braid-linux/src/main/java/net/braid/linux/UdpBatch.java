package net.braid.linux;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP socket that moves datagrams in batches with recvmmsg(2) and sendmmsg(2), straight
 * between the kernel and the caller's direct buffers.
 *
 * <p>Like {@link Tun}: non-blocking socket, {@link #receive} waits in poll(2) beside a
 * {@link CloseGate}; one receiving and one sending thread at a time; {@link #close} never blocks
 * and makes a blocked receiver return -1. The socket belongs to the network namespace of the
 * thread that {@link #bind binds} it.
 */
public final class UdpBatch implements AutoCloseable {
    // glibc bits/socket.h and the kernel's include/linux/socket.h, LP64.
    private static final StructLayout IOVEC = structLayout(
            ADDRESS.withName("iov_base"), JAVA_LONG.withName("iov_len"));
    private static final StructLayout MSGHDR = structLayout(
            ADDRESS.withName("msg_name"), JAVA_INT.withName("msg_namelen"), paddingLayout(4),
            ADDRESS.withName("msg_iov"), JAVA_LONG.withName("msg_iovlen"),
            ADDRESS.withName("msg_control"), JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"), paddingLayout(4));
    private static final StructLayout MMSGHDR = structLayout(
            MSGHDR.withName("msg_hdr"), JAVA_INT.withName("msg_len"), paddingLayout(4));
    private static final long MSG_NAME = MSGHDR.byteOffset(groupElement("msg_name"));
    private static final long MSG_NAMELEN = MSGHDR.byteOffset(groupElement("msg_namelen"));
    private static final long MSG_IOV = MSGHDR.byteOffset(groupElement("msg_iov"));
    private static final long MSG_IOVLEN = MSGHDR.byteOffset(groupElement("msg_iovlen"));
    private static final long MSG_FLAGS = MSGHDR.byteOffset(groupElement("msg_flags"));
    private static final long MSG_LEN = MMSGHDR.byteOffset(groupElement("msg_len"));
    private static final long IOV_BASE = IOVEC.byteOffset(groupElement("iov_base"));
    private static final long IOV_LEN = IOVEC.byteOffset(groupElement("iov_len"));
    private static final int MSG_TRUNC = 0x20;

    /**
     * struct sockaddr_in6 (linux/in6.h): family u16, port (network order) u16, flowinfo u32,
     * addr[16], scope_id u32 = 28 bytes; struct sockaddr_in (linux/in.h) shares the first two
     * fields, then addr[4] at offset 4, and fits in the same slot.
     */
    private static final int SOCKADDR_SIZE = 28;
    private static final ValueLayout.OfShort PORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int SEND_POLL_MILLIS = 100;
    private static final int SEND_ATTEMPTS = 3;
    private static final int SOCKET_BUFFER_BYTES = 4 << 20;

    private final int fd;
    private final int family;
    private final int capacity;
    private final InetSocketAddress localAddress;
    private final CloseGate gate;
    private final MemorySegment receiveState;
    private final MemorySegment sendState;
    private final MemorySegment receiveMessages;
    private final MemorySegment receiveIov;
    private final MemorySegment sources;
    /** The raw form of the last decoded source, and its decoded form; receiving thread only. */
    private final MemorySegment lastSourceRaw;
    private InetSocketAddress lastSource;
    private final MemorySegment sendMessages;
    private final MemorySegment sendIov;
    private final MemorySegment destination;
    private final MemorySegment receivePoll;
    private final MemorySegment sendPoll;

    private final AtomicLong datagramsReceived = new AtomicLong();
    private final AtomicLong datagramsSent = new AtomicLong();
    private final AtomicLong droppedSends = new AtomicLong();
    private final AtomicLong truncatedReceives = new AtomicLong();

    private UdpBatch(int fd, int family, int capacity, int wakeFd, Arena arena, InetSocketAddress local) {
        this.fd = fd;
        this.family = family;
        this.capacity = capacity;
        this.localAddress = local;
        this.gate = new CloseGate(arena, wakeFd, state -> Libc.close(state, fd));
        this.receiveState = arena.allocate(Libc.CALL_STATE);
        this.sendState = arena.allocate(Libc.CALL_STATE);
        this.receiveMessages = arena.allocate(MMSGHDR, capacity);
        this.receiveIov = arena.allocate(IOVEC, capacity);
        this.sources = arena.allocate((long) SOCKADDR_SIZE * capacity, 8);
        this.lastSourceRaw = arena.allocate(SOCKADDR_SIZE, 8);
        this.sendMessages = arena.allocate(MMSGHDR, capacity);
        this.sendIov = arena.allocate(IOVEC, capacity);
        this.destination = arena.allocate(SOCKADDR_SIZE, 8);
        for (int i = 0; i < capacity; i++) {
            // What never changes: each message has one iovec; received names go to their slot.
            MemorySegment r = receiveMessages.asSlice(i * MMSGHDR.byteSize(), MMSGHDR.byteSize());
            r.set(ADDRESS, MSG_IOV, receiveIov.asSlice(i * IOVEC.byteSize()));
            r.set(JAVA_LONG, MSG_IOVLEN, 1);
            r.set(ADDRESS, MSG_NAME, sources.asSlice((long) i * SOCKADDR_SIZE));
            MemorySegment s = sendMessages.asSlice(i * MMSGHDR.byteSize(), MMSGHDR.byteSize());
            s.set(ADDRESS, MSG_IOV, sendIov.asSlice(i * IOVEC.byteSize()));
            s.set(JAVA_LONG, MSG_IOVLEN, 1);
            s.set(ADDRESS, MSG_NAME, destination);
            s.set(JAVA_INT, MSG_NAMELEN, SOCKADDR_SIZE);
        }
        this.receivePoll = pollSet(arena, fd, Libc.POLLIN, wakeFd);
        this.sendPoll = pollSet(arena, fd, Libc.POLLOUT, wakeFd);
    }

    private static MemorySegment pollSet(Arena arena, int fd, short events, int wakeFd) {
        MemorySegment fds = arena.allocate(2L * Libc.POLLFD_SIZE, 8);
        fds.set(JAVA_INT, 0, fd);
        fds.set(JAVA_SHORT, Libc.POLLFD_EVENTS, events);
        fds.set(JAVA_INT, Libc.POLLFD_SIZE, wakeFd);
        fds.set(JAVA_SHORT, Libc.POLLFD_SIZE + Libc.POLLFD_EVENTS, Libc.POLLIN);
        return fds;
    }

    /**
     * Opens a UDP socket bound to {@code local} (port 0: the kernel picks) that moves up to
     * {@code batchSize} datagrams per system call. An IPv6 socket also reaches IPv4 peers
     * through v4-mapped addresses, unless the system disables that.
     */
    public static UdpBatch bind(InetSocketAddress local, int batchSize) throws IOException {
        return bind(local, batchSize, null);
    }

    /**
     * As {@link #bind(InetSocketAddress, int)}, and with {@code device} non-null the socket only
     * sends and receives through that interface (SO_BINDTODEVICE, socket(7)), whatever the
     * routing table says: a multipath path keeps to its own link.
     */
    public static UdpBatch bind(InetSocketAddress local, int batchSize, String device) throws IOException {
        return bind(local, batchSize, device, 0);
    }

    /**
     * As {@link #bind(InetSocketAddress, int, String)}, and with {@code mark} non-zero every
     * datagram carries that firewall mark (SO_MARK, needs CAP_NET_ADMIN): policy routing keeps
     * the tunnel's own packets out of the tunnel.
     */
    public static UdpBatch bind(InetSocketAddress local, int batchSize, String device, long mark) throws IOException {
        Objects.requireNonNull(local, "local");
        if (batchSize < 1 || batchSize > 1024) {
            throw new IllegalArgumentException("batch size " + batchSize + " is outside 1..1024 (UIO_MAXIOV)");
        }
        if (local.isUnresolved()) throw new UnknownHostException(local.getHostString());
        int family = local.getAddress() instanceof Inet6Address ? Libc.AF_INET6 : Libc.AF_INET;
        Arena arena = Arena.ofShared();
        int fd = -1;
        int wakeFd = -1;
        try (Arena setup = Arena.ofConfined()) {
            MemorySegment state = setup.allocate(Libc.CALL_STATE);
            fd = Libc.socket(state, family, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
            if (fd < 0) throw new ErrnoException("socket UDP", Libc.errno(state));
            MemorySegment address = setup.allocate(SOCKADDR_SIZE, 8);
            encode(local, family, address);
            if (Libc.bind(state, fd, address, SOCKADDR_SIZE) < 0) {
                throw new ErrnoException("bind UDP " + local, Libc.errno(state));
            }
            setBuffers(setup, state, fd, SOCKET_BUFFER_BYTES);
            if (device != null) {
                MemorySegment name = setup.allocateFrom(device, StandardCharsets.US_ASCII);
                if (Libc.setsockopt(state, fd, Libc.SOL_SOCKET, Libc.SO_BINDTODEVICE, name, (int) name.byteSize()) < 0) {
                    int errno = Libc.errno(state);
                    throw new ErrnoException("bind UDP socket to interface " + device
                            + (errno == ErrnoException.ENODEV ? " (no such interface)" : ""), errno);
                }
            }
            if (mark != 0) {
                MemorySegment value = setup.allocate(JAVA_INT);
                value.set(JAVA_INT, 0, (int) mark);
                if (Libc.setsockopt(state, fd, Libc.SOL_SOCKET, Libc.SO_MARK, value) < 0) {
                    throw new ErrnoException("set firewall mark 0x" + Long.toHexString(mark) + " on UDP socket", Libc.errno(state));
                }
            }
            MemorySegment length = setup.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, SOCKADDR_SIZE);
            if (Libc.getsockname(state, fd, address, length) < 0) {
                throw new ErrnoException("getsockname UDP", Libc.errno(state));
            }
            InetSocketAddress bound = decode(address);
            wakeFd = CloseGate.newWakeFd(state);
            return new UdpBatch(fd, family, batchSize, wakeFd, arena, bound);
        } catch (IOException | RuntimeException | Error e) {
            try (Arena cleanup = Arena.ofConfined()) {
                MemorySegment state = cleanup.allocate(Libc.CALL_STATE);
                if (fd >= 0) Libc.close(state, fd);
                if (wakeFd >= 0) Libc.close(state, wakeFd);
            }
            arena.close();
            throw e;
        }
    }

    /**
     * Large socket buffers absorb the bursts a batch makes. The FORCE options pass the
     * net.core.[rw]mem_max cap when we have CAP_NET_ADMIN; without it the capped size is kept.
     */
    private static void setBuffers(Arena setup, MemorySegment state, int fd, int bytes) {
        MemorySegment value = setup.allocate(JAVA_INT);
        value.set(JAVA_INT, 0, bytes);
        if (Libc.setsockopt(state, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, value) < 0) {
            Libc.setsockopt(state, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, value);
        }
        if (Libc.setsockopt(state, fd, Libc.SOL_SOCKET, Libc.SO_SNDBUFFORCE, value) < 0) {
            Libc.setsockopt(state, fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, value);
        }
    }

    /** Writes a sockaddr_in or sockaddr_in6 for this socket family into a zeroed 28-byte slot. */
    private static void encode(InetSocketAddress socketAddress, int family, MemorySegment slot) {
        InetAddress address = socketAddress.getAddress();
        slot.fill((byte) 0);
        slot.set(JAVA_SHORT, 0, (short) family);
        slot.set(PORT, 2, (short) socketAddress.getPort());
        byte[] raw = address.getAddress();
        if (family == Libc.AF_INET) {
            if (raw.length != 4) throw new IllegalArgumentException(address + " on an IPv4 socket");
            MemorySegment.copy(raw, 0, slot, JAVA_BYTE, 4, 4);
        } else if (raw.length == 4) { // v4-mapped ::ffff:a.b.c.d (RFC 4291 §2.5.5.2)
            slot.set(JAVA_BYTE, 18, (byte) 0xff);
            slot.set(JAVA_BYTE, 19, (byte) 0xff);
            MemorySegment.copy(raw, 0, slot, JAVA_BYTE, 20, 4);
        } else {
            MemorySegment.copy(raw, 0, slot, JAVA_BYTE, 8, 16);
            if (address instanceof Inet6Address v6) slot.set(JAVA_INT, 24, v6.getScopeId());
        }
    }

    private static InetSocketAddress decode(MemorySegment slot) throws UnknownHostException {
        int family = slot.get(JAVA_SHORT, 0);
        int port = Short.toUnsignedInt(slot.get(PORT, 2));
        byte[] raw = family == Libc.AF_INET
                ? slot.asSlice(4, 4).toArray(JAVA_BYTE)
                : slot.asSlice(8, 16).toArray(JAVA_BYTE);
        // getByAddress turns a v4-mapped address back into an Inet4Address.
        return new InetSocketAddress(InetAddress.getByAddress(raw), port);
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The most datagrams one system call moves. */
    public int batchSize() {
        return capacity;
    }

    /**
     * Receives up to {@code min(packets.length, batchSize())} datagrams into direct buffers
     * (position 0, limit at the datagram's end; a datagram longer than its buffer is cut and
     * counted in {@link #truncatedReceives}). Blocks until at least one arrives.
     *
     * @return the number received, or -1 once closed
     */
    public int receive(ByteBuffer[] packets) throws IOException {
        int n = Math.min(packets.length, capacity);
        if (n == 0) throw new IllegalArgumentException("no buffers to receive into");
        if (!gate.enter()) return -1;
        try {
            for (int i = 0; i < n; i++) {
                ByteBuffer b = direct(packets[i]);
                if (b.isReadOnly()) throw new IllegalArgumentException("read-only buffer " + b);
                b.clear();
                long v = i * IOVEC.byteSize();
                receiveIov.set(ADDRESS, v + IOV_BASE, MemorySegment.ofBuffer(b));
                receiveIov.set(JAVA_LONG, v + IOV_LEN, b.capacity());
                long m = i * MMSGHDR.byteSize();
                receiveMessages.set(JAVA_INT, m + MSG_NAMELEN, SOCKADDR_SIZE);
                receiveMessages.set(JAVA_INT, m + MSG_FLAGS, 0);
            }
            while (!gate.isClosed()) {
                int got = Libc.recvmmsg(receiveState, fd, receiveMessages, n, 0);
                if (got > 0) {
                    for (int i = 0; i < got; i++) {
                        long m = i * MMSGHDR.byteSize();
                        int length = receiveMessages.get(JAVA_INT, m + MSG_LEN);
                        if ((receiveMessages.get(JAVA_INT, m + MSG_FLAGS) & MSG_TRUNC) != 0) {
                            truncatedReceives.incrementAndGet();
                        }
                        packets[i].limit(Math.min(length, packets[i].capacity()));
                    }
                    datagramsReceived.addAndGet(got);
                    return got;
                }
                int errno = got < 0 ? Libc.errno(receiveState) : ErrnoException.EAGAIN;
                if (errno == ErrnoException.EAGAIN) {
                    await(receiveState, receivePoll, -1);
                } else if (errno != ErrnoException.EINTR) {
                    throw new ErrnoException("recvmmsg " + localAddress, errno);
                }
            }
            return -1;
        } finally {
            gate.exit();
        }
    }

    /** Where datagram {@code i} of the last {@link #receive} came from. */
    public InetSocketAddress source(int i) throws UnknownHostException {
        Objects.checkIndex(i, capacity);
        long offset = (long) i * SOCKADDR_SIZE;
        // A path's datagrams nearly all come from one address: reuse its decoded form.
        if (lastSource != null
                && MemorySegment.mismatch(sources, offset, offset + SOCKADDR_SIZE, lastSourceRaw, 0, SOCKADDR_SIZE) < 0) {
            return lastSource;
        }
        InetSocketAddress decoded = decode(sources.asSlice(offset, SOCKADDR_SIZE));
        MemorySegment.copy(sources, offset, lastSourceRaw, 0, SOCKADDR_SIZE);
        lastSource = decoded;
        return decoded;
    }

    /**
     * Sends {@code count} datagrams, each from its direct buffer's position to its limit, all
     * to {@code to} (a path has one peer). What the kernel refuses (too large, unreachable,
     * refused by an earlier ICMP error) or what finds the socket buffer full for too long is
     * dropped and counted, not thrown.
     *
     * @return the number sent
     */
    public int send(ByteBuffer[] packets, int count, InetSocketAddress to) throws IOException {
        Objects.checkFromIndexSize(0, count, packets.length);
        if (!gate.enter()) {
            droppedSends.addAndGet(count);
            return 0;
        }
        try {
            encode(to, family, destination);
            int sent = 0;
            int next = 0;
            int attempts = 0;
            while (next < count && !gate.isClosed()) {
                int n = Math.min(count - next, capacity);
                for (int i = 0; i < n; i++) {
                    ByteBuffer b = direct(packets[next + i]);
                    long v = i * IOVEC.byteSize();
                    sendIov.set(ADDRESS, v + IOV_BASE, MemorySegment.ofBuffer(b));
                    sendIov.set(JAVA_LONG, v + IOV_LEN, b.remaining());
                }
                int done = Libc.sendmmsg(sendState, fd, sendMessages, n, 0);
                if (done > 0) {
                    sent += done;
                    next += done;
                    attempts = 0;
                    continue;
                }
                int errno = Libc.errno(sendState);
                switch (errno) {
                    case ErrnoException.EINTR -> { }
                    case ErrnoException.EAGAIN, ErrnoException.ENOBUFS -> {
                        if (++attempts > SEND_ATTEMPTS) {
                            droppedSends.addAndGet(count - next);
                            next = count;
                        } else {
                            await(sendState, sendPoll, SEND_POLL_MILLIS);
                        }
                    }
                    // sendmmsg reports an error of the first datagram; skip it, keep the rest.
                    case ErrnoException.EMSGSIZE, ErrnoException.ECONNREFUSED, ErrnoException.EHOSTUNREACH,
                            ErrnoException.ENETUNREACH, ErrnoException.EINVAL -> {
                        droppedSends.incrementAndGet();
                        next++;
                    }
                    default -> throw new ErrnoException("sendmmsg to " + to, errno);
                }
            }
            if (next < count) droppedSends.addAndGet(count - next); // closed meanwhile
            datagramsSent.addAndGet(sent);
            return sent;
        } finally {
            gate.exit();
        }
    }

    private static ByteBuffer direct(ByteBuffer b) {
        if (!b.isDirect()) throw new IllegalArgumentException("UdpBatch moves direct buffers only, got " + b);
        return b;
    }

    private void await(MemorySegment state, MemorySegment pollSet, int timeoutMillis) throws ErrnoException {
        if (Libc.poll(state, pollSet, 2, timeoutMillis) < 0) {
            int errno = Libc.errno(state);
            if (errno != ErrnoException.EINTR) throw new ErrnoException("poll UDP " + localAddress, errno);
        }
    }

    public long datagramsReceived() {
        return datagramsReceived.get();
    }

    public long datagramsSent() {
        return datagramsSent.get();
    }

    public long droppedSends() {
        return droppedSends.get();
    }

    public long truncatedReceives() {
        return truncatedReceives.get();
    }

    /** Idempotent, never blocks; a blocked {@link #receive} returns -1. */
    @Override
    public void close() {
        gate.close();
    }

    @Override
    public String toString() {
        return "UdpBatch[" + localAddress + (gate.isClosed() ? ", closed" : "") + "]";
    }
}
