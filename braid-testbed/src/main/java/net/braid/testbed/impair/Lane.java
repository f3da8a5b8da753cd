package net.braid.testbed.impair;

import java.io.IOException;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One direction of the relay. A receiver thread reads each datagram, decides at once whether it
 * is cut, lost or finds the rate limiter's queue full, and otherwise computes when it leaves:
 * after its turn on the rate-limited link, plus delay and jitter. It copies the datagram into a
 * pooled slot and files the slot in a {@link DueQueue}. A sender thread parks until the first
 * slot is due ({@link LockSupport#parkNanos}, then a short spin for the last
 * {@value #SPIN_NANOS} ns, because parking alone wakes tens of microseconds late) and sends it.
 *
 * <p>The rate limiter is a virtual link: {@code linkFree} is when the link finishes the bytes
 * already admitted, so the backlog in bytes is (linkFree - now) × rate; a datagram that would
 * push it past the queue size is dropped. Nothing here allocates per datagram.
 */
final class Lane {
    static final long SPIN_NANOS = 100_000;

    /** Where the receiver reads a datagram from; false if nothing usable arrived. */
    interface Ingress {
        boolean receive(ByteBuffer into) throws IOException;
    }

    /** Where the sender writes a datagram to; false if there is nowhere to send it (yet). */
    interface Egress {
        boolean send(ByteBuffer datagram) throws IOException;
    }

    private final Direction direction;
    private final Ingress ingress;
    private final Egress egress;
    private final PacketPool pool;
    private final DueQueue queue;
    private final SplittableRandom random;
    private final LossProcess loss;
    private final Object lock = new Object();
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(65536);

    private volatile Impairment impairment;
    private volatile boolean cut;
    private volatile boolean running = true;

    // Receiver-thread state.
    private long linkFree;
    private long lastDue;
    private long arrivals;
    private boolean reported;

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private final AtomicLong droppedLoss = new AtomicLong();
    private final AtomicLong droppedQueue = new AtomicLong();
    private final AtomicLong droppedCut = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    private final Thread receiver;
    private final Thread sender;

    Lane(Direction direction, Ingress ingress, Egress egress, Impairment impairment, long seed, int slots, int slotSize) {
        this.direction = direction;
        this.ingress = ingress;
        this.egress = egress;
        this.impairment = impairment;
        this.pool = new PacketPool(slots, slotSize);
        this.queue = new DueQueue(slots);
        this.random = new SplittableRandom(seed);
        this.loss = new LossProcess(random);
        long now = System.nanoTime();
        this.linkFree = now;
        this.lastDue = now;
        this.receiver = Thread.ofPlatform().daemon().name("impair-" + direction.token() + "-receive").unstarted(this::receiveLoop);
        this.sender = Thread.ofPlatform().daemon().name("impair-" + direction.token() + "-send").unstarted(this::sendLoop);
    }

    void start() {
        sender.start();
        receiver.start();
    }

    Impairment impairment() {
        return impairment;
    }

    void impairment(Impairment next) {
        impairment = next;
    }

    boolean isCut() {
        return cut;
    }

    void cut(boolean cut) {
        this.cut = cut;
    }

    DirectionCounters counters() {
        return new DirectionCounters(received.get(), forwarded.get(), duplicated.get(),
                droppedLoss.get(), droppedQueue.get(), droppedCut.get(), errors.get());
    }

    /** Datagrams admitted and not yet sent. */
    int waiting() {
        synchronized (lock) {
            return queue.size();
        }
    }

    /** Stops both threads; the caller closes the channels, which ends a blocked receive. */
    void stop() {
        running = false;
        LockSupport.unpark(sender);
    }

    void join() throws InterruptedException {
        receiver.join();
        sender.join();
    }

    private void receiveLoop() {
        while (running) {
            scratch.clear();
            try {
                if (!ingress.receive(scratch)) {
                    continue;
                }
            } catch (PortUnreachableException e) {
                continue; // the target's ICMP answer to an earlier send; the relay carries on
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException e) {
                if (running) {
                    errors.incrementAndGet();
                }
                continue;
            }
            long now = System.nanoTime();
            scratch.flip();
            received.incrementAndGet();
            Impairment imp = impairment; // one read, so a change never applies to half a datagram
            try {
                admit(imp, now);
                if (imp.duplicatePercent() > 0 && random.nextDouble() * 100 < imp.duplicatePercent()) {
                    duplicated.incrementAndGet();
                    admit(imp, now);
                }
            } catch (RuntimeException e) {
                // A dead receiver turns the relay into a silent black hole that looks like a fault
                // of whatever runs through it; count the datagram as an error and keep relaying.
                errors.incrementAndGet();
                if (!reported) { // the first one only: a stream of stack traces would drown the rest
                    reported = true;
                    System.err.println("impairment relay " + direction.token() + ": datagram of " + scratch.remaining()
                            + " bytes failed: " + e);
                }
            }
        }
    }

    private void admit(Impairment imp, long now) {
        if (cut) {
            droppedCut.incrementAndGet();
            return;
        }
        if (loss.lose(imp.loss())) {
            droppedLoss.incrementAndGet();
            return;
        }
        int size = scratch.remaining();
        if (size > pool.slotSize()) {
            errors.incrementAndGet();
            return;
        }
        long due = now;
        long nextLinkFree = linkFree;
        long rate = imp.rateBitsPerSecond();
        if (rate > 0) {
            long start = linkFree - now > 0 ? linkFree : now;
            double backlogBytes = (double) (start - now) * rate / 8e9;
            if (backlogBytes + size > imp.effectiveQueueBytes()) {
                droppedQueue.incrementAndGet();
                return;
            }
            nextLinkFree = start + (long) (size * 8e9 / rate);
            due = nextLinkFree;
        }
        due += imp.delay().toNanos() + jitter(imp);
        if (due - now < 0) {
            due = now;
        }
        if (!imp.reorder() && due - lastDue < 0) {
            due = lastDue;
        }
        boolean first;
        synchronized (lock) {
            int slot = pool.store(scratch);
            if (slot < 0) {
                droppedQueue.incrementAndGet();
                return;
            }
            queue.add(due, arrivals++, slot);
            first = queue.firstSlot() == slot;
        }
        linkFree = nextLinkFree;
        if (due - lastDue > 0) {
            lastDue = due;
        }
        if (first) {
            LockSupport.unpark(sender);
        }
    }

    private long jitter(Impairment imp) {
        long jitter = imp.jitter().toNanos();
        if (jitter == 0) {
            return 0;
        }
        return switch (imp.jitterShape()) {
            case UNIFORM -> (long) ((random.nextDouble() * 2 - 1) * jitter);
            case NORMAL -> (long) (random.nextGaussian() * jitter);
        };
    }

    private void sendLoop() {
        while (running) {
            int slot = -1;
            long due = 0;
            boolean empty;
            synchronized (lock) {
                empty = queue.isEmpty();
                if (!empty) {
                    due = queue.firstDue();
                    if (due - System.nanoTime() <= 0) {
                        slot = queue.removeFirst();
                    }
                }
            }
            if (slot >= 0) {
                send(slot);
            } else if (empty) {
                LockSupport.park(this);
            } else {
                awaitDue(due);
            }
        }
    }

    private void awaitDue(long due) {
        long wait = due - System.nanoTime();
        if (wait > SPIN_NANOS) {
            // An unpark (an earlier datagram, or stop) ends this early; the loop then looks again.
            LockSupport.parkNanos(this, wait - SPIN_NANOS);
            return;
        }
        while (System.nanoTime() - due < 0 && running) {
            Thread.onSpinWait();
        }
    }

    private void send(int slot) {
        try {
            if (cut) {
                droppedCut.incrementAndGet(); // a cut also loses what was already on the wire
                return;
            }
            ByteBuffer datagram;
            synchronized (lock) {
                datagram = pool.datagram(slot);
            }
            try {
                if (egress.send(datagram)) {
                    forwarded.incrementAndGet();
                } else {
                    errors.incrementAndGet();
                }
            } catch (PortUnreachableException e) {
                errors.incrementAndGet();
            } catch (IOException e) {
                if (running) {
                    errors.incrementAndGet();
                }
            }
        } finally {
            synchronized (lock) {
                pool.release(slot);
            }
        }
    }

    @Override
    public String toString() {
        return "Lane[" + direction.token() + ", " + impairment + (cut ? ", cut" : "") + "]";
    }
}
