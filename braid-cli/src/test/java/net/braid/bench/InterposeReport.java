package net.braid.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The table of {@code bench/interpose}: per download size and way (direct, or interposed over
 * HTTP/3 or HTTP/2), the median of the runs' curl {@code time_total}, and the ratio to direct.
 *
 * @param loadBefore the load average when the run began, {@code loadAfter} when it ended
 */
record InterposeReport(Machine machine, int repetitions, String loadBefore, String loadAfter, String command,
                       List<Download> downloads, List<String> notes) {
    static final String DIRECT = "direct";
    static final double TARGET = 1.3;
    /** Where the hand-written analysis starts; bench/interpose keeps everything from here on when it rewrites the report. */
    static final String NOTES = "<!-- kept by bench/interpose: hand-written notes below -->";

    /** One curl download; {@code seconds} empty when it failed; {@code cpu} of braid's processes when interposed. */
    record Download(String way, long bytes, Optional<Double> seconds, String load, Optional<Cpu> cpu) {
        static Download of(String way, long bytes, double seconds, String load) {
            return new Download(way, bytes, Optional.of(seconds), load, Optional.empty());
        }

        static Download failed(String way, long bytes, String load) {
            return new Download(way, bytes, Optional.empty(), load, Optional.empty());
        }

        Download withCpu(Cpu cpu) {
            return new Download(way, bytes, seconds, load, Optional.of(cpu));
        }
    }

    /** CPU seconds (user + system, all threads) that braid interpose and braid proxy spent during one download. */
    record Cpu(double interpose, double proxy) { }

    /** The median CPU seconds of {@code way}'s downloads of {@code bytes}: interpose's and the proxy's. */
    Optional<Cpu> medianCpu(String way, long bytes) {
        List<Cpu> cpus = downloads.stream().filter(d -> d.way().equals(way) && d.bytes() == bytes)
                .flatMap(d -> d.cpu().stream()).toList();
        if (cpus.isEmpty()) return Optional.empty();
        return Optional.of(new Cpu(Summary.median(cpus.stream().map(Cpu::interpose).sorted().toList()),
                Summary.median(cpus.stream().map(Cpu::proxy).sorted().toList())));
    }

    List<String> ways() {
        var ways = new LinkedHashSet<String>();
        ways.add(DIRECT);
        downloads.forEach(d -> ways.add(d.way()));
        return List.copyOf(ways);
    }

    List<Long> sizes() {
        return downloads.stream().map(Download::bytes).distinct().sorted().toList();
    }

    /** The median time of the successful downloads of {@code bytes} by {@code way}. */
    Optional<Double> median(String way, long bytes) {
        List<Double> times = downloads.stream().filter(d -> d.way().equals(way) && d.bytes() == bytes)
                .flatMap(d -> d.seconds().stream()).sorted().toList();
        return times.isEmpty() ? Optional.empty() : Optional.of(Summary.median(times));
    }

    long failures(String way, long bytes) {
        return downloads.stream().filter(d -> d.way().equals(way) && d.bytes() == bytes && d.seconds().isEmpty()).count();
    }

    /** Median time through {@code way} over median time direct: 1.0 is as fast as direct. */
    Optional<Double> ratio(String way, long bytes) {
        return median(way, bytes).flatMap(t -> median(DIRECT, bytes).map(d -> t / d));
    }

    /** The target (largest size within 1.3× of direct) per interposed way, for the console and the report. */
    String verdict() {
        List<Long> sizes = sizes();
        if (sizes.isEmpty()) return "no downloads";
        long largest = sizes.getLast();
        List<String> parts = new ArrayList<>();
        for (String way : ways()) {
            if (way.equals(DIRECT)) continue;
            parts.add(ratio(way, largest).map(r -> String.format(Locale.ROOT, "%s %.2f× of direct — target ≤ %.1f× %s",
                    way, r, TARGET, r <= TARGET && failures(way, largest) == 0 ? "met" : "**not met**"))
                    .orElse(way + ": no successful download"));
        }
        return size(largest) + ": " + String.join("; ", parts);
    }

    String console() {
        var b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-8s", "size"));
        for (String way : ways()) b.append(String.format(Locale.ROOT, " %22s", way));
        b.append('\n');
        for (long size : sizes()) {
            b.append(String.format(Locale.ROOT, "%-8s", size(size)));
            for (String way : ways()) b.append(String.format(Locale.ROOT, " %22s", cell(way, size)));
            b.append('\n');
        }
        b.append(verdict()).append('\n');
        return b.toString();
    }

    String markdown() {
        var b = new StringBuilder();
        b.append("# braid interpose: seed 000's HTTP GET benchmark\n\n");
        b.append("`").append(command).append("` on ").append(machine.date()).append(", commit ").append(machine.commit())
                .append(": ").append(machine.cpus()).append(" × ").append(machine.cpuModel()).append(", ")
                .append(machine.kernel()).append(", ").append(machine.jdk()).append(".\n\n");
        b.append("curl in a client namespace fetches files from `python3 -m http.server` in a server namespace, ")
                .append("through a proxy namespace. **direct**: the proxy namespace routes. **h3 / h2**: the route is ")
                .append("taken away, `braid interpose` in the client namespace terminates the connection and carries it ")
                .append("as one CONNECT stream over HTTP/3 (or HTTP/2) to `braid proxy`, which connects to the server. ")
                .append("Each cell is the median of ").append(repetitions).append(" `time_total`s (the whole request, ")
                .append("connection set-up included) and the ratio to direct; the ways alternate within each repetition.\n\n");
        b.append("Load average (1, 5, 15 min) at the start: ").append(loadBefore).append("; at the end: ").append(loadAfter)
                .append(". The machine was shared with other builds and benchmarks: compare only ratios within one run.\n\n");
        b.append("| size |");
        for (String way : ways()) b.append(' ').append(way).append(" |");
        b.append("\n|---|");
        for (int i = 0; i < ways().size(); i++) b.append("---:|");
        b.append('\n');
        for (long size : sizes()) {
            b.append("| ").append(size(size)).append(" |");
            for (String way : ways()) b.append(' ').append(cell(way, size)).append(" |");
            b.append('\n');
        }
        b.append('\n').append(verdict()).append(" (seed 000's PseudoTCP: 934 ms vs 368 ms direct, 2.5×).\n");
        long largest = sizes().isEmpty() ? 0 : sizes().getLast();
        var cpuLines = new StringBuilder();
        for (String way : ways()) {
            medianCpu(way, largest).ifPresent(c -> cpuLines.append(String.format(Locale.ROOT,
                    "| %s | %.0f ms | %.0f ms (%.2f cores) | %.0f ms (%.2f cores) |%n", way, median(way, largest).orElse(Double.NaN) * 1000,
                    c.interpose() * 1000, c.interpose() / median(way, largest).orElse(Double.NaN),
                    c.proxy() * 1000, c.proxy() / median(way, largest).orElse(Double.NaN))));
        }
        if (!cpuLines.isEmpty()) {
            b.append("\nCPU of braid's two processes during the ").append(size(largest))
                    .append(" downloads (medians; a process near 1 core is the bottleneck, since the engine's loop is one thread):\n\n")
                    .append("| way | time | braid interpose CPU | braid proxy CPU |\n|---|---:|---:|---:|\n").append(cpuLines);
        }
        if (!notes.isEmpty()) {
            b.append('\n');
            notes.forEach(n -> b.append("- ").append(n).append('\n'));
        }
        b.append("\nEvery download, in order (way, size, seconds, 1-minute load, CPU seconds of interpose and proxy):\n\n```\n");
        for (Download d : downloads) {
            b.append(String.format(Locale.ROOT, "%-7s %8s %s %s%s%n", d.way(), size(d.bytes()),
                    d.seconds().map(s -> String.format(Locale.ROOT, "%.4f", s)).orElse("failed"), d.load(),
                    d.cpu().map(c -> String.format(Locale.ROOT, " %.3f %.3f", c.interpose(), c.proxy())).orElse("")));
        }
        b.append("```\n");
        return b.toString();
    }

    private String cell(String way, long size) {
        Optional<Double> t = median(way, size);
        if (t.isEmpty()) return "failed";
        String text = String.format(Locale.ROOT, "%.0f ms, %.0f Mbit/s", t.get() * 1000, size * 8 / t.get() / 1e6);
        if (!way.equals(DIRECT)) text += ratio(way, size).map(r -> String.format(Locale.ROOT, ", %.2f×", r)).orElse("");
        long failed = failures(way, size);
        return failed == 0 ? text : text + " (" + failed + " failed)";
    }

    static String size(long bytes) {
        if (bytes >= 1_000_000) return bytes / 1_000_000 + " MB";
        return bytes / 1000 + " kB";
    }
}
