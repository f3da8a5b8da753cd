package net.braid.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Where and with what a benchmark ran, for the report's header. */
record Machine(String date, int cpus, String cpuModel, String kernel, String jdk, String wireguardGo, String iperf3,
               String commit, String loadAverage) {

    static Machine describe() {
        return new Machine(
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
                Runtime.getRuntime().availableProcessors(),
                readCpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
                firstLine("wireguard-go", "--version"),
                firstLine("iperf3", "--version"),
                readCommit(),
                currentLoadAverage());
    }

    /** The 1, 5 and 15 minute load averages: other work on the machine skews every number. */
    static String currentLoadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String readCpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String readCommit() {
        String head = firstLine("git", "rev-parse", "--short", "HEAD");
        String dirty = output("git", "status", "--porcelain", "--untracked-files=no").isBlank() ? "" : " (with uncommitted changes)";
        return head + dirty;
    }

    private static String firstLine(String... command) {
        String out = output(command).strip();
        return out.isEmpty() ? "unknown" : out.lines().findFirst().orElse("unknown");
    }

    private static String output(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
