package net.braid.testbed;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A test-bed namespace name, {@code braid-<label>-<host>-<run>}. The run id starts with the
 * creating JVM's pid in base 36 (five characters) and ends with three random ones, so a clean-up
 * of stale namespaces can tell a crashed run (owner gone) from one still going in another JVM.
 */
record NamespaceName(String label, String host, String run) {
    static final String PREFIX = "braid-";
    private static final Pattern PART = Pattern.compile("[a-z0-9]{1,12}");
    private static final Pattern RUN = Pattern.compile("[a-z0-9]{8}");
    private static final SecureRandom RANDOM = new SecureRandom();

    NamespaceName {
        requirePart("label", label);
        requirePart("host name", host);
        if (!RUN.matcher(run).matches()) {
            throw new IllegalArgumentException("bad run id: " + run);
        }
    }

    static void requirePart(String what, String value) {
        if (value == null || !PART.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be 1 to 12 characters of a-z and 0-9 (it becomes part of a"
                    + " namespace name): " + value);
        }
    }

    /** A fresh run id owned by this JVM. */
    static String newRun() {
        String pid = Long.toString(ProcessHandle.current().pid(), 36);
        if (pid.length() > 5) {
            pid = pid.substring(pid.length() - 5);
        }
        var run = new StringBuilder("0".repeat(5 - pid.length())).append(pid);
        for (int i = 0; i < 3; i++) {
            run.append(Character.forDigit(RANDOM.nextInt(36), 36));
        }
        return run.toString();
    }

    static Optional<NamespaceName> parse(String name) {
        if (!name.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = name.substring(PREFIX.length()).split("-", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(new NamespaceName(parts[0], parts[1], parts[2]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    long ownerPid() {
        return Long.parseLong(run.substring(0, 5), 36);
    }

    /** True while the JVM that made this namespace may still be running (a reused pid errs on the safe side). */
    boolean ownerMayBeAlive() {
        return ProcessHandle.of(ownerPid()).map(ProcessHandle::isAlive).orElse(false);
    }

    @Override
    public String toString() {
        return PREFIX + label + "-" + host + "-" + run;
    }
}
