package net.braid.bench;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time (user + system, all threads, including exited ones) used so far by a set of processes
 * and their descendants, as the kernel counts it in /proc/PID/stat. Kernel work done in softirq
 * context (veth, TCP of the iperf3 ends) is charged to whoever was interrupted, so this is the
 * tunnel daemon's own cost, not the whole machine's.
 */
record ProcessCpu(List<ProcessHandle> roots) {
    ProcessCpu {
        roots = List.copyOf(roots);
    }

    static ProcessCpu of(ProcessHandle... roots) {
        return new ProcessCpu(List.of(roots));
    }

    Duration total() {
        return roots.stream()
                .flatMap(root -> Stream.concat(Stream.of(root), root.descendants()))
                .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }
}
