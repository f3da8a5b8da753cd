package net.braid.testbed.impair;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Schedule} being applied by its own platform thread. Each step is applied at its offset
 * from the start (not from the previous step, so a slow command does not shift the rest). Closing
 * stops the steps not yet applied; it never undoes those applied.
 */
public final class ScheduleRun implements AutoCloseable {
    /** A step as it happened: when, measured from the start, and the relay's answer. */
    public record Applied(Schedule.Step step, Duration at, String answer) {}

    private final List<Applied> applied = new ArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean cancelled;
    private volatile RuntimeException failure;

    ScheduleRun(Schedule schedule, ImpairmentControl target) {
        long start = System.nanoTime();
        this.thread = Thread.ofPlatform().daemon().name("impair-schedule").start(() -> run(schedule, target, start));
    }

    private void run(Schedule schedule, ImpairmentControl target, long start) {
        try {
            for (Schedule.Step step : schedule.steps()) {
                long due = start + step.at().toNanos();
                for (long wait; !cancelled && (wait = due - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(this, wait);
                }
                if (cancelled) {
                    return;
                }
                Duration at = Duration.ofNanos(System.nanoTime() - start);
                String answer = target.command(step.command());
                synchronized (applied) {
                    applied.add(new Applied(step, at, answer));
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            done.countDown();
        }
    }

    /** The steps applied so far, in order. */
    public List<Applied> applied() {
        synchronized (applied) {
            return List.copyOf(applied);
        }
    }

    /** Waits until every step is applied (or the run failed or was closed); false on timeout. */
    public boolean await(Duration timeout) throws InterruptedException {
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The exception a step's command threw, which ended the run. */
    public Optional<RuntimeException> failure() {
        return Optional.ofNullable(failure);
    }

    public boolean isDone() {
        return done.getCount() == 0;
    }

    @Override
    public void close() {
        cancelled = true;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
