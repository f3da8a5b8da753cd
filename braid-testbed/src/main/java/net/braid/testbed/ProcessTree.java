package net.braid.testbed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stops one process and the descendants it started: SIGTERM first, SIGKILL after a grace period. */
final class ProcessTree {
    private ProcessTree() {}

    /** Returns true if every process of the tree is gone afterwards. */
    static boolean terminate(ProcessHandle root, Duration grace) {
        // Collect the children before signalling: once the parent dies they are re-parented and
        // can no longer be found through it.
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.addFirst(root);
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle process : tree) {
            awaitExit(process, Math.max(0, deadline - System.nanoTime()));
        }
        // Children forked during the grace period (a shell loop, say) are caught on the second pass.
        for (ProcessHandle process : List.copyOf(tree)) {
            if (process.isAlive()) {
                process.descendants().filter(child -> !tree.contains(child)).forEach(tree::add);
            }
        }
        boolean clean = true;
        for (ProcessHandle process : tree) {
            if (process.isAlive()) {
                process.destroyForcibly();
                clean &= awaitExit(process, TimeUnit.SECONDS.toNanos(5));
            }
        }
        return clean;
    }

    private static boolean awaitExit(ProcessHandle process, long nanos) {
        CompletableFuture<ProcessHandle> exit = process.onExit();
        try {
            exit.get(nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
