package net.braid.multipath;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A tiny discrete-event network for the tests: N one-way paths, each a FIFO bottleneck (rate,
 * buffer, random loss) plus a propagation delay, from a sender with one shared queue, the
 * {@link PathScheduler} and a {@link PathSender} per path, to a receiver with a
 * {@link FeedbackTracker} per path. Feedback travels back encoded and decoded by the real codec
 * after the path's delay, without loss. All on a fake clock.
 */
final class PathSimulation {
    static final long MS = 1_000_000L;
    static final int PACKET = 1200;

    record Link(long bytesPerSecond, long oneWayDelayNanos, long bufferBytes, double loss) {}

    /** The sender's view of a path for the scheduler. */
    final class SimPath implements SchedulerPath {
        final Link link;
        final PathSender sender;
        final FeedbackTracker receiver;
        int metric;
        PathStatus status = PathStatus.UP;
        long linkFree;
        int nextSeq;
        long sentPackets;

        SimPath(int id, Link link, CongestionControl kind) {
            this.link = link;
            this.sender = PathSender.create(id, PACKET, kind);
            this.receiver = new FeedbackTracker(id, FeedbackPolicy.DEFAULT);
        }

        @Override public PathStatus status() { return status; }
        @Override public int metric() { return metric; }
        @Override public long congestionWindow() { return sender.congestionWindow(); }
        @Override public long bytesInFlight() { return sender.bytesInFlight(); }
        @Override public long smoothedRttNanos() { return sender.rtt().smoothed(); }
        @Override public long minRttNanos() { return sender.rtt().min(); }
        @Override public long deliveryRate() { return sender.controller().bandwidthEstimate(); }
        @Override public long nextSendTime() { return sender.nextSendTime(); }
    }

    private record Event(long time, long order, int kind, int path, int seq, long flowSeq, long sentAt, byte[] feedback)
            implements Comparable<Event> {
        public int compareTo(Event o) {
            return time != o.time ? Long.compare(time, o.time) : Long.compare(order, o.order);
        }
    }

    private static final int ARRIVE = 0, FEEDBACK = 1, WAKE = 2, TICK = 3;

    final List<SimPath> paths = new ArrayList<>();
    private final PathScheduler scheduler;
    private final boolean greedy;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final Random rnd;
    private final ArrayDeque<Long> queue = new ArrayDeque<>();
    private final long offeredBytesPerSecond; // 0: always backlogged
    private final SchedulerDecision decision = new SchedulerDecision();
    private final FeedbackBlock block = new FeedbackBlock();
    private final FeedbackMessage message = new FeedbackMessage();
    private final ByteBuffer wire = ByteBuffer.allocate(4096);
    private long order;
    private long now;
    private long nextFlowSeq;
    private long wakeAt = Long.MAX_VALUE;
    private boolean started;
    private double sourceCredit;
    /**
     * Feedback reaches the sender only at multiples of this (0: at once): the sender's engine
     * thread waking in rounds, or a link that aggregates acknowledgements (Wi-Fi, DOCSIS).
     */
    long feedbackQuantumNanos;

    // Receiver-side measurements, after the warm-up.
    long warmupNanos;
    long deliveredBytes;
    long deliveredPackets;
    long outOfOrder;
    long reorderExtentSum; // RFC 5236 extent: how many later packets overtook a late one
    long highestFlowSeq = -1;
    double queueDelaySumNanos;

    /**
     * @param greedy when true, ignore the scheduler: the first path with window room takes the
     *               packet (seed 003's consumers, for comparison)
     */
    PathSimulation(long seed, long offeredBytesPerSecond, boolean greedy) {
        this.rnd = new Random(seed);
        this.offeredBytesPerSecond = offeredBytesPerSecond;
        this.greedy = greedy;
        this.scheduler = new PathScheduler();
    }

    SimPath addPath(Link link, CongestionControl kind) {
        SimPath p = new SimPath(paths.size(), link, kind);
        paths.add(p);
        return p;
    }

    long now() { return now; }

    /** Runs until {@code end}; measurements count from {@code warmup}. */
    void run(long warmup, long end) {
        warmupNanos = warmup;
        if (!started) {
            started = true;
            schedule(new Event(0, order++, TICK, 0, 0, 0, 0, null));
        }
        while (!events.isEmpty() && events.peek().time <= end) {
            Event e = events.poll();
            now = e.time;
            switch (e.kind) {
                case ARRIVE -> arrive(e);
                case FEEDBACK -> feedback(e);
                case WAKE -> { if (wakeAt == now) wakeAt = Long.MAX_VALUE; trySend(); }
                case TICK -> tick();
                default -> throw new IllegalStateException();
            }
        }
    }

    double throughputBytesPerSecond(long end) {
        return deliveredBytes * 1e9 / (end - warmupNanos);
    }

    double meanQueueDelayNanos() {
        return deliveredPackets == 0 ? 0 : queueDelaySumNanos / deliveredPackets;
    }

    /** Mean extent over all delivered packets (in-order ones count 0). */
    double meanReorderExtent() {
        return deliveredPackets == 0 ? 0 : (double) reorderExtentSum / deliveredPackets;
    }

    double outOfOrderFraction() {
        return deliveredPackets == 0 ? 0 : (double) outOfOrder / deliveredPackets;
    }

    private void schedule(Event e) {
        events.add(e);
    }

    private void tick() {
        if (offeredBytesPerSecond > 0) {
            // A constant-rate source, one millisecond at a time.
            sourceCredit += offeredBytesPerSecond / 1000.0;
            for (; sourceCredit >= PACKET; sourceCredit -= PACKET) queue.add(nextFlowSeq++);
        }
        for (SimPath p : paths) {
            p.sender.onTimer(now);
            if (p.receiver.feedbackDue(now)) sendFeedback(p);
        }
        trySend();
        schedule(new Event(now + MS, order++, TICK, 0, 0, 0, 0, null));
    }

    private void trySend() {
        while (true) {
            if (queue.isEmpty()) {
                if (offeredBytesPerSecond > 0) {
                    for (SimPath p : paths) p.sender.onAppLimited();
                    return;
                }
                // A bulk source keeps the shared queue (the TUN's backlog) at 256 packets.
                while (queue.size() < 256) queue.add(nextFlowSeq++);
            }
            SimPath chosen = null;
            if (greedy) {
                for (SimPath p : paths) if (p.sender.canSend(PACKET, now)) { chosen = p; break; }
                if (chosen == null) return;
            } else {
                scheduler.pick(paths, PACKET, (long) queue.size() * PACKET, now, decision);
                switch (decision.kind()) {
                    case SEND -> chosen = paths.get(decision.pathIndex());
                    case WAIT -> {
                        long t = Math.max(decision.waitUntil(), now + 1);
                        if (t < wakeAt) {
                            wakeAt = t;
                            schedule(new Event(t, order++, WAKE, 0, 0, 0, 0, null));
                        }
                        return;
                    }
                    case NO_PATH -> { return; }
                }
            }
            send(chosen, queue.poll());
        }
    }

    private void send(SimPath p, long flowSeq) {
        int seq = p.nextSeq++;
        p.sentPackets++;
        p.sender.onPacketSent(seq, PACKET, now);
        Link l = p.link;
        if (rnd.nextDouble() < l.loss()) return;
        long backlog = Math.max(0, p.linkFree - now);
        if (backlog * l.bytesPerSecond() / 1_000_000_000L + PACKET > l.bufferBytes()) return; // tail drop
        p.linkFree = Math.max(p.linkFree, now) + PACKET * 1_000_000_000L / l.bytesPerSecond();
        schedule(new Event(p.linkFree + l.oneWayDelayNanos(), order++, ARRIVE, paths.indexOf(p), seq, flowSeq, now, null));
    }

    private void arrive(Event e) {
        SimPath p = paths.get(e.path);
        if (now >= warmupNanos) {
            deliveredBytes += PACKET;
            deliveredPackets++;
            if (e.flowSeq < highestFlowSeq) {
                outOfOrder++;
                reorderExtentSum += highestFlowSeq - e.flowSeq;
            }
            queueDelaySumNanos += now - e.sentAt - p.link.oneWayDelayNanos() - PACKET * 1e9 / p.link.bytesPerSecond();
        }
        highestFlowSeq = Math.max(highestFlowSeq, e.flowSeq);
        if (p.sender.rtt().hasSample()) p.receiver.setRtt(p.sender.rtt().smoothed());
        p.receiver.onPacket(e.seq, now, true);
        if (p.receiver.feedbackDue(now)) sendFeedback(p);
    }

    private void sendFeedback(SimPath p) {
        p.receiver.writeFeedback(now, block);
        wire.clear();
        FeedbackCodec.encode(block, wire);
        byte[] bytes = java.util.Arrays.copyOf(wire.array(), wire.position());
        long at = now + p.link.oneWayDelayNanos();
        if (feedbackQuantumNanos > 0) at = (at + feedbackQuantumNanos - 1) / feedbackQuantumNanos * feedbackQuantumNanos;
        schedule(new Event(at, order++, FEEDBACK, paths.indexOf(p), 0, 0, 0, bytes));
    }

    private void feedback(Event e) {
        FeedbackError err = FeedbackCodec.decode(ByteBuffer.wrap(e.feedback), message);
        if (err != FeedbackError.NONE) throw new AssertionError("simulated feedback refused: " + err);
        for (int i = 0; i < message.blockCount(); i++) {
            FeedbackBlock b = message.block(i);
            paths.get(b.pathId()).sender.onFeedback(b, now);
        }
        trySend();
    }
}
