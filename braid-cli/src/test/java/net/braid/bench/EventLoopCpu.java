package net.braid.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time (user + system) of a process's Netty event-loop threads, from /proc/PID/task/TID/stat.
 * Less noisy under load than a rate: a busy machine slows the loops, but the work per forwarded
 * byte stays. JIT and GC threads are left out. Netty names these threads
 * {@code multiThreadIoEventLoopGroup-N-M}; the kernel keeps the first 15 characters.
 */
final class EventLoopCpu {
    private static final String LOOP_THREAD = "multiThreadIoEv";
    /** USER_HZ: the unit of utime and stime; 100 on every Linux this runs on. */
    private static final double TICKS_PER_MS = 0.1;

    private EventLoopCpu() {}

    /** Milliseconds of CPU the event loops of {@code pid} used so far; threads that ended are not counted. */
    static double millis(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.mapToLong(EventLoopCpu::loopTicks).sum() / TICKS_PER_MS;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private static long loopTicks(Path task) {
        try {
            return ticks(Files.readString(task.resolve("stat")));
        } catch (IOException e) {
            return 0; // the thread ended meanwhile
        }
    }

    /** utime + stime of one /proc stat line if its command is an event loop, else 0 (proc(5): fields 14 and 15). */
    static long ticks(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open || !stat.substring(open + 1, close).startsWith(LOOP_THREAD)) return 0;
        String[] f = stat.substring(close + 2).trim().split("\\s+"); // f[0] is field 3 (state)
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
