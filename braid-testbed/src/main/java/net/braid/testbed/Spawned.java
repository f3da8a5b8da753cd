package net.braid.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process running inside a test-bed namespace. Its stdout and stderr go to files in the test
 * bed's log folder, so a chatty process never blocks and its output can be read at any time.
 * {@link #stop()} ends exactly this process and its descendants, by pid.
 */
public final class Spawned implements AutoCloseable {
    static final Duration STOP_GRACE = Duration.ofSeconds(3);

    private final Host host;
    private final List<String> command;
    private final Process process;
    private final Path stdoutFile;
    private final Path stderrFile;

    Spawned(Host host, List<String> command, Process process, Path stdoutFile, Path stderrFile) {
        this.host = host;
        this.command = List.copyOf(command);
        this.process = process;
        this.stdoutFile = stdoutFile;
        this.stderrFile = stderrFile;
    }

    public Host host() {
        return host;
    }

    /** The command as given, without the {@code ip netns exec} in front. */
    public List<String> command() {
        return command;
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String stdout() {
        return read(stdoutFile);
    }

    public String stderr() {
        return read(stderrFile);
    }

    public Path stdoutFile() {
        return stdoutFile;
    }

    public Path stderrFile() {
        return stderrFile;
    }

    /**
     * Writes {@code line} and a newline to the process's stdin and flushes; only for a process
     * started with {@link Host#spawnWithInput} (the others read /dev/null).
     */
    public synchronized Spawned writeLine(String line) {
        try {
            var stdin = process.getOutputStream();
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            return this;
        } catch (IOException e) {
            throw new TestbedException("cannot write to stdin of " + describe() + ": " + e.getMessage(), e);
        }
    }

    /** Waits for the process to exit by itself and returns its exit code; throws on timeout. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new TestbedException(describe() + " still running after " + timeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestbedException("interrupted waiting for " + describe(), e);
        }
        return process.exitValue();
    }

    /**
     * Waits until {@code text} appears on stdout or stderr, e.g. a server's "listening" line.
     * Throws if the process exits first or the timeout passes, with the output so far.
     */
    public Spawned awaitOutput(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (stdout().contains(text) || stderr().contains(text)) {
                return this;
            }
            if (!process.isAlive()) {
                throw new TestbedException(describe() + " exited with " + process.exitValue()
                        + " before printing \"" + text + "\"" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new TestbedException(describe() + " did not print \"" + text + "\" within "
                        + timeout.toMillis() + " ms" + output());
            }
            sleep(Duration.ofMillis(20));
        }
    }

    /** SIGTERM to the process and its descendants, SIGKILL to whatever is left after a grace period. */
    public void stop() {
        stop(STOP_GRACE);
    }

    public void stop(Duration grace) {
        if (process.isAlive()) {
            if (!ProcessTree.terminate(process.toHandle(), grace)) {
                throw new TestbedException("could not stop " + describe());
            }
        }
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            process.getOutputStream().close(); // the stdin pipe of spawnWithInput, if any
        } catch (IOException e) {
            // the process is gone; nothing reads the pipe any more
        }
    }

    @Override
    public void close() {
        stop();
    }

    String describe() {
        return "pid " + pid() + " (" + String.join(" ", command) + " in " + host.namespace() + ")";
    }

    private String output() {
        return "\nstdout: " + stdout().strip() + "\nstderr: " + stderr().strip();
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestbedException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "Spawned[" + describe() + "]";
    }
}
