package net.braid.linux;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a system tool (ip, nft, sh) and turns a non-zero exit into an IOException carrying the
 * command line and what the tool printed, since its stderr says why.
 */
public final class HostCommand {
    private static final long TIMEOUT_SECONDS = 20;

    private HostCommand() {}

    /** The tool's absolute path: /usr/sbin is often missing from PATH of non-login shells and services. */
    public static String locate(String tool) {
        for (String dir : List.of("/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/")) {
            if (Files.isExecutable(Path.of(dir + tool))) return dir + tool;
        }
        return tool;
    }

    /** Runs {@code command} with nothing on stdin; returns its output. */
    public static String run(List<String> command) throws IOException {
        return run(command, null);
    }

    /** Runs {@code command}, writing {@code stdin} (if not null) to it; returns its output, stdout and stderr merged. */
    public static String run(List<String> command, String stdin) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (stdin == null) builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException(String.join(" ", command) + ": cannot start (is " + command.getFirst()
                    + " installed?): " + e.getMessage(), e);
        }
        try {
            if (stdin != null) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
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
