package net.braid.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs iproute2's {@code ip}, optionally as {@code ip -n NS ...}, and turns a non-zero exit
 * into an IOException carrying the command line and what ip printed (its stderr says why).
 */
final class IpCommand {
    private IpCommand() {}

    private static final long TIMEOUT_SECONDS = 20;
    private static final String IP = locate();

    /** /usr/sbin is often missing from PATH of non-login shells and services. */
    private static String locate() {
        for (String candidate : List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")) {
            if (Files.isExecutable(Path.of(candidate))) return candidate;
        }
        return "ip";
    }

    /** Runs {@code ip [-n netns] args...}; returns its output. */
    static String run(String netns, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(IP);
        if (netns != null) {
            command.add("-n");
            command.add(netns);
        }
        command.addAll(List.of(args));
        return exec(command);
    }

    private static String exec(List<String> command) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new IOException(String.join(" ", command) + ": cannot start (is iproute2 installed?): "
                    + e.getMessage(), e);
        }
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no exit after " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue()
                        + "): " + (output.isEmpty() ? "no output" : output));
            }
            return output;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + ": interrupted", e);
        }
    }
}
