package net.braid.testbed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one external command to completion, capturing both streams, killing it on timeout. */
final class Command {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);

    private Command() {}

    static ExecResult exec(Duration timeout, List<String> argv) {
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new TestbedException("cannot start " + String.join(" ", argv) + ": " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // stdin already gone: the command simply sees end of input
        }
        var stdout = new ByteArrayOutputStream();
        var stderr = new ByteArrayOutputStream();
        Thread outReader = drain(process.getInputStream(), stdout);
        Thread errReader = drain(process.getErrorStream(), stderr);
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                ProcessTree.terminate(process.toHandle(), KILL_GRACE);
                outReader.join(KILL_GRACE);
                errReader.join(KILL_GRACE);
                throw new TestbedException("command timed out after " + timeout.toMillis() + " ms: "
                        + String.join(" ", argv) + "\nstdout so far: " + text(stdout) + "\nstderr so far: " + text(stderr));
            }
            outReader.join();
            errReader.join();
        } catch (InterruptedException e) {
            ProcessTree.terminate(process.toHandle(), KILL_GRACE);
            Thread.currentThread().interrupt();
            throw new TestbedException("interrupted while running " + String.join(" ", argv), e);
        }
        return new ExecResult(argv, process.exitValue(), text(stdout), text(stderr));
    }

    static ExecResult run(List<String> argv) {
        return exec(DEFAULT_TIMEOUT, argv).requireSuccess();
    }

    private static Thread drain(InputStream in, ByteArrayOutputStream sink) {
        return Thread.ofVirtual().start(() -> {
            try (in) {
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    synchronized (sink) {
                        sink.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // The stream closes when the process is killed; what was read so far is kept.
            }
        });
    }

    private static String text(ByteArrayOutputStream sink) {
        synchronized (sink) {
            return sink.toString(StandardCharsets.UTF_8);
        }
    }
}
