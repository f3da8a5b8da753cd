package net.braid.testbed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Finds the external programs the test bed drives, and says which Debian package brings a missing one. */
public final class Tools {
    private static final Map<String, String> DEBIAN_PACKAGES = Map.ofEntries(
            Map.entry("ip", "iproute2"),
            Map.entry("tc", "iproute2"),
            Map.entry("ss", "iproute2"),
            Map.entry("ping", "iputils-ping"),
            Map.entry("iperf3", "iperf3"),
            Map.entry("sysctl", "procps"),
            Map.entry("curl", "curl"),
            Map.entry("wireguard-go", "wireguard-go"),
            Map.entry("wg", "wireguard-tools"));

    // Root's programs live in sbin, which a JVM started from an IDE may not have on its PATH.
    private static final List<String> FALLBACK_DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private Tools() {}

    /** Throws {@link MissingToolException} naming every missing tool and the package to install. */
    public static void require(String... tools) {
        List<String> missing = new ArrayList<>();
        for (String tool : tools) {
            if (find(tool).isEmpty()) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            throw new MissingToolException(missing, describeMissing(missing));
        }
    }

    /** The absolute path of an executable, searched on PATH and then in the usual system folders. */
    public static Optional<Path> find(String tool) {
        if (tool.contains("/")) {
            Path path = Path.of(tool);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        Set<String> dirs = new LinkedHashSet<>();
        String pathVariable = System.getenv("PATH");
        if (pathVariable != null) {
            for (String dir : pathVariable.split(":")) {
                if (!dir.isEmpty()) {
                    dirs.add(dir);
                }
            }
        }
        dirs.addAll(FALLBACK_DIRS);
        for (String dir : dirs) {
            Path candidate = Path.of(dir, tool);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The absolute path of a tool as a string, for a command line; throws if missing. */
    static String path(String tool) {
        return find(tool).map(Path::toString).orElseThrow(() -> {
            List<String> missing = List.of(tool);
            return new MissingToolException(missing, describeMissing(missing));
        });
    }

    static String debianPackage(String tool) {
        return DEBIAN_PACKAGES.getOrDefault(tool, tool);
    }

    static String describeMissing(List<String> missing) {
        var message = new StringBuilder("missing tool");
        message.append(missing.size() == 1 ? ": " : "s: ");
        Set<String> packages = new LinkedHashSet<>();
        for (int i = 0; i < missing.size(); i++) {
            String tool = missing.get(i);
            message.append(i == 0 ? "" : ", ").append(tool).append(" (Debian package ").append(debianPackage(tool)).append(')');
            packages.add(debianPackage(tool));
        }
        message.append(" - install with: apt-get install ").append(String.join(" ", packages));
        return message.toString();
    }
}
