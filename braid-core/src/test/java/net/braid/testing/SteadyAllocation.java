package net.braid.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

/**
 * Asserts that a hot path allocates nothing per operation, with the JVM's per-thread allocation counter.
 *
 * <p>One round warms up; then the best of up to five measured rounds must stay under one byte per operation.
 * A path that allocates per operation costs at least 16 bytes each time, in every round, so it still fails; what
 * passes is the odd object the JIT or JFR creates while it (re)compiles, which once made a fixed 1 KiB bound flaky.
 */
public final class SteadyAllocation {
    private static final int MEASURED_ROUNDS = 5;

    private SteadyAllocation() {}

    /** Runs {@code round} (which performs {@code operations} operations) and asserts the steady state allocates nothing. */
    public static void assertAllocatesNothing(String what, int operations, Runnable round) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        round.run();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < MEASURED_ROUNDS && best >= operations; i++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            round.run();
            best = Math.min(best, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertThat(best).as("bytes allocated over %d %s (best of %d rounds)", operations, what, MEASURED_ROUNDS)
                .isLessThan(operations);
    }
}
