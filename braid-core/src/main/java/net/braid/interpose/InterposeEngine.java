package net.braid.interpose;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.random.RandomGenerator;
import net.braid.device.PacketDevice;
import net.braid.interpose.tcp.TcpEndpoint;
import net.braid.interpose.tcp.TcpReset;
import net.braid.packet.DropReason;
import net.braid.packet.IpPacket;
import net.braid.packet.IpProtocol;
import net.braid.packet.UdpHeader;
import net.braid.packet.UpperLayer;

/**
 * Packet-to-stream interposition on one packet device: every TCP connection and UDP flow the
 * apps behind the device open is terminated here and carried by an upstream stream or datagram
 * flow that an {@link UpstreamDialer} opens (a MASQUE proxy's CONNECT and CONNECT-UDP).
 *
 * <pre>
 * reader thread:  device.read(batch) → tasks
 * loop thread:    tasks → validate → FlowTable (5-tuple from the header) → TcpFlow (TcpEndpoint) | UdpFlow
 *                 upstream events (any thread) → tasks → the flow's endpoint
 *                 endpoint outputs → output batch → device.write
 *                 timers: the earliest endpoint deadline bounds the wait for the next task
 * </pre>
 *
 * One loop thread owns all flow state, so no flow needs a lock; upstreams never block it (their
 * calls return at once and report back through the task queue), and a full app-side buffer
 * pauses only its own upstream. Packet buffers come from a fixed pool: when the loop falls
 * behind, the reader waits for buffers and the device's queue absorbs (and drops) the excess.
 */
public final class InterposeEngine implements AutoCloseable {
    private static final int BATCH = 64;
    private static final int BATCHES = 8;
    private static final long MAX_WAIT = TimeUnit.SECONDS.toNanos(1);

    private final PacketDevice device;
    private final UpstreamDialer dialer;
    private final InterposeConfig config;
    private final RandomGenerator random;
    private final BlockingQueue<Object> tasks = new LinkedBlockingQueue<>();
    private final BlockingQueue<PacketBatch> freeBatches = new ArrayBlockingQueue<>(BATCHES);
    private final FlowTable<TcpFlow> tcpFlows;
    private final FlowTable<UdpFlow> udpFlows;
    private final List<TcpFlow> tcpScan = new ArrayList<>();
    private final List<UdpFlow> udpScan = new ArrayList<>();
    private final List<Object> dead = new ArrayList<>();
    private final List<TcpFlow> touched = new ArrayList<>();
    private final ByteBuffer[] out;
    private int outCount;
    private long now;
    private long nextScan = Long.MAX_VALUE;
    private volatile boolean running;
    private Thread reader;
    private Thread loop;

    private final AtomicLong packetsIn = new AtomicLong();
    private long malformed;
    private long unsupported;
    private long resetsForUnknown;
    private long refusedOverLimit;
    private long udpDroppedOverLimit;
    private long writeErrors;

    public InterposeEngine(PacketDevice device, UpstreamDialer dialer, InterposeConfig config, RandomGenerator random) {
        this.device = device;
        this.dialer = dialer;
        this.config = config;
        this.random = random;
        this.tcpFlows = new FlowTable<>(random.nextLong());
        this.udpFlows = new FlowTable<>(random.nextLong());
        this.out = new ByteBuffer[BATCH];
        for (int i = 0; i < BATCH; i++) out[i] = ByteBuffer.allocateDirect(device.mtu());
        for (int i = 0; i < BATCHES; i++) freeBatches.add(new PacketBatch(device.mtu()));
    }

    /** Starts the reader and the loop (platform threads: device reads are native calls). */
    public synchronized void start() {
        if (running) throw new IllegalStateException("started");
        running = true;
        loop = Thread.ofPlatform().name("interpose-loop-" + device.name()).daemon().start(this::loop);
        reader = Thread.ofPlatform().name("interpose-read-" + device.name()).daemon().start(this::read);
    }

    /** Stops both threads and resets every upstream; the device is closed by its owner. */
    @Override
    public void close() {
        if (!running) return;
        CompletableFuture<Void> done = new CompletableFuture<>();
        tasks.add((Runnable) () -> {
            List<TcpFlow> tcp = new ArrayList<>();
            tcpFlows.values(tcp);
            for (TcpFlow f : tcp) f.resetUpstream();
            List<UdpFlow> udp = new ArrayList<>();
            udpFlows.values(udp);
            for (UdpFlow f : udp) f.close();
            running = false;
            done.complete(null);
        });
        try {
            done.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the loop is gone or stuck; the threads are daemons
        }
        loop.interrupt();
        reader.interrupt();
    }

    /** A snapshot of the live flows, taken on the loop. */
    public List<FlowInfo> flows() {
        CompletableFuture<List<FlowInfo>> result = new CompletableFuture<>();
        tasks.add((Runnable) () -> {
            List<TcpFlow> tcp = new ArrayList<>();
            tcpFlows.values(tcp);
            List<UdpFlow> udp = new ArrayList<>();
            udpFlows.values(udp);
            List<FlowInfo> list = new ArrayList<>();
            for (TcpFlow f : tcp) list.add(f.info());
            for (UdpFlow f : udp) list.add(f.info());
            result.complete(list);
        });
        try {
            return result.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return List.of();
        }
    }

    /** Counters for {@code braid show}, in a fixed order (read from any thread; the loop's may lag a little). */
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("packets_in", packetsIn.get());
        c.put("malformed", malformed);
        c.put("unsupported", unsupported);
        c.put("resets_for_unknown", resetsForUnknown);
        c.put("refused_over_limit", refusedOverLimit);
        c.put("udp_dropped_over_limit", udpDroppedOverLimit);
        c.put("write_errors", writeErrors);
        return Collections.unmodifiableMap(c);
    }

    public InterposeConfig config() {
        return config;
    }

    UpstreamDialer dialer() {
        return dialer;
    }

    long now() {
        return now;
    }

    /** Runs {@code task} on the loop with the current time, unless the flow closed first. */
    void submit(TcpFlow flow, LongConsumer task) {
        tasks.add(new FlowTask(flow, null, task));
    }

    void submit(UdpFlow flow, LongConsumer task) {
        tasks.add(new FlowTask(null, flow, task));
    }

    void flowClosed(Object flow) {
        dead.add(flow);
    }

    // ------------------------------------------------------------------ reader thread

    private void read() {
        try {
            while (running) {
                PacketBatch batch = freeBatches.take();
                int n = device.read(batch.packets);
                if (n < 0) break;
                batch.count = n;
                packetsIn.addAndGet(n);
                tasks.add(batch);
            }
        } catch (IOException | InterruptedException e) {
            // closing
        } finally {
            running = false;
            tasks.add((Runnable) () -> { });
        }
    }

    // ------------------------------------------------------------------ loop thread

    private void loop() {
        try {
            while (running) {
                now = System.nanoTime();
                if (now >= nextScan) scan();
                long wait = Math.min(MAX_WAIT, Math.max(0, nextScan - now));
                Object task = tasks.poll(wait, TimeUnit.NANOSECONDS);
                now = System.nanoTime();
                for (int handled = 0; task != null; task = ++handled < 1024 ? tasks.poll() : null) handle(task);
                finishRound();
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    /** After a round of tasks: the ACKs owed by touched flows, the next deadline, closed flows out, the output batch written. */
    private void finishRound() {
        // Indexed loops: an iterator is an allocation until the JIT removes it, and this runs per batch.
        for (int i = 0; i < touched.size(); i++) {
            TcpFlow f = touched.get(i);
            f.touched = false;
            if (!f.closed) {
                f.endpoint.flush(now);
                nextScan = Math.min(nextScan, f.endpoint.nextDeadline());
            }
        }
        touched.clear();
        reap();
        flushOut();
    }

    /** The loop's work for one packet from the device, on the caller's thread: for tests of the hot path, loop not started. */
    void receiveOnCallerThread(ByteBuffer packet, long now) {
        this.now = now;
        packet(packet);
        finishRound();
    }

    /** Runs the queued upstream events on the caller's thread: for tests, loop not started. */
    void runTasksOnCallerThread(long now) {
        this.now = now;
        for (Object task = tasks.poll(); task != null; task = tasks.poll()) handle(task);
        finishRound();
    }

    private void handle(Object task) {
        switch (task) {
            case PacketBatch batch -> {
                for (int i = 0; i < batch.count; i++) packet(batch.packets[i]);
                freeBatches.add(batch);
            }
            case FlowTask t -> {
                if (t.tcp != null && !t.tcp.closed) {
                    t.task.accept(now);
                    touch(t.tcp);
                } else if (t.udp != null && !t.udp.closed) {
                    t.task.accept(now);
                }
            }
            case Runnable r -> r.run();
            default -> throw new IllegalStateException("unknown task " + task);
        }
    }

    private void packet(ByteBuffer b) {
        int len = b.remaining();
        if (IpPacket.validateTransport(b, 0, len) != DropReason.NONE) {
            malformed++;
            return;
        }
        long ul = IpPacket.upperLayer(b, 0, len);
        if (UpperLayer.isFragment(ul)) {
            unsupported++; // apps behind a TUN with our MTU do not fragment TCP; UDP fragments are rare
            return;
        }
        int end = IpPacket.length(b, 0);
        int l4 = UpperLayer.offset(ul);
        switch (UpperLayer.protocol(ul)) {
            case IpProtocol.TCP -> tcp(b, l4, end, ul);
            case IpProtocol.UDP -> udp(b, l4, ul);
            default -> unsupported++;
        }
    }

    private void tcp(ByteBuffer b, int l4, int end, long ul) {
        TcpFlow flow = tcpFlows.find(b, 0, ul);
        if (flow == null) {
            if (!TcpEndpoint.isOpeningSyn(b, l4) || tcpFlows.size() >= config.maxTcpFlows()) {
                if (TcpEndpoint.isOpeningSyn(b, l4)) refusedOverLimit++;
                ByteBuffer o = packetBuffer();
                int n = TcpReset.answer(b, 0, l4, end, o);
                if (n > 0) {
                    resetsForUnknown++;
                    emitInPlace(n);
                }
                return;
            }
            FlowKey key = FlowKey.of(b, 0, ul);
            flow = new TcpFlow(this, key);
            tcpFlows.put(key, flow);
            flow.endpoint = TcpEndpoint.open(key, b, l4, config.tcp(), flow, random, now);
        } else {
            flow.endpoint.segment(b, l4, end, now);
        }
        touch(flow);
    }

    private void touch(TcpFlow flow) {
        if (!flow.touched && !flow.closed) {
            flow.touched = true;
            touched.add(flow);
        }
    }

    private void udp(ByteBuffer b, int l4, long ul) {
        UdpFlow flow = udpFlows.find(b, 0, ul);
        if (flow == null) {
            if (udpFlows.size() >= config.maxUdpFlows()) {
                udpDroppedOverLimit++;
                return;
            }
            FlowKey key = FlowKey.of(b, 0, ul);
            flow = new UdpFlow(this, key, config.udpQueue(), now);
            udpFlows.put(key, flow);
            flow.open();
            nextScan = Math.min(nextScan, now + config.udpIdleTimeout());
        }
        // The pooled packet buffer itself narrowed to the payload (the next device read resets it): no view per datagram.
        b.limit(l4 + UdpHeader.length(b, l4)).position(l4 + UdpHeader.LENGTH);
        flow.fromApp(b, now);
    }

    private void scan() {
        long next = Long.MAX_VALUE;
        tcpFlows.values(tcpScan);
        udpFlows.values(udpScan);
        for (TcpFlow f : tcpScan) {
            if (f.closed) continue;
            if (f.endpoint.nextDeadline() <= now) {
                f.endpoint.tick(now);
                touch(f);
            }
            next = Math.min(next, f.endpoint.nextDeadline());
        }
        for (UdpFlow f : udpScan) {
            if (f.closed) continue;
            long idleAt = f.lastActivity + config.udpIdleTimeout();
            if (idleAt <= now) f.close();
            else next = Math.min(next, idleAt);
        }
        tcpScan.clear();
        udpScan.clear();
        nextScan = next;
        reap();
    }

    private void reap() {
        for (int i = 0; i < dead.size(); i++) {
            switch (dead.get(i)) {
                case TcpFlow f -> tcpFlows.remove(f.key, f);
                case UdpFlow f -> udpFlows.remove(f.key, f);
                default -> { }
            }
        }
        dead.clear();
    }

    // ------------------------------------------------------------------ output

    /** The next output buffer, cleared, for a packet written in place and committed with {@link #emitInPlace}. */
    ByteBuffer packetBuffer() {
        if (outCount == BATCH) flushOut();
        return out[outCount].clear();
    }

    void emitInPlace(int length) {
        out[outCount].limit(length).position(0);
        outCount++;
    }

    /** Copies a packet (position to limit) into the output batch. */
    void emit(ByteBuffer packet) {
        ByteBuffer o = packetBuffer();
        int n = packet.remaining();
        o.put(0, packet, packet.position(), n);
        emitInPlace(n);
    }

    private void flushOut() {
        if (outCount == 0) return;
        try {
            device.write(out, outCount);
        } catch (IOException e) {
            writeErrors++;
        }
        outCount = 0;
    }

    private record FlowTask(TcpFlow tcp, UdpFlow udp, LongConsumer task) { }

    private static final class PacketBatch {
        final ByteBuffer[] packets = new ByteBuffer[BATCH];
        int count;

        PacketBatch(int mtu) {
            for (int i = 0; i < BATCH; i++) packets[i] = ByteBuffer.allocateDirect(mtu);
        }
    }
}
