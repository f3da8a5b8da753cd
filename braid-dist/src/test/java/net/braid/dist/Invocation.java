package net.braid.dist;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One finished run of an external command: its exit status and both streams. */
record Invocation(List<String> command, int exit, String stdout, String stderr) {

    /** Runs {@code command} with {@code stdin} as input; kills it (and fails) after {@code timeout}. */
    static Invocation run(Duration timeout, String stdin, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).start();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " still running after " + timeout);
            }
            return new Invocation(command, p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static Invocation run(Duration timeout, String... command) {
        return run(timeout, "", List.of(command));
    }

    /** Like {@link #run}, but fails the test unless the command exits 0. */
    static Invocation check(Duration timeout, String... command) {
        return run(timeout, command).requireSuccess();
    }

    Invocation requireSuccess() {
        if (exit != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + exit
                    + "\nstdout: " + stdout + "\nstderr: " + stderr);
        }
        return this;
    }

    /** The executable named {@code tool} on PATH or in the sbin folders, if any. */
    static Optional<Path> find(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    static boolean root() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e.getMessage() + ")";
            }
        }, Thread::startVirtualThread);
    }
}
