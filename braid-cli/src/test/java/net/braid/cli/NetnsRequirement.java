package net.braid.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.braid.testbed.Testbed;
import net.braid.testbed.Tools;
import org.junit.jupiter.api.Assumptions;

/**
 * What the namespace tests need (root, namespaces, /dev/net/tun, the named tools). Without it a
 * test is reported as skipped and the reason is printed, so a green run never hides that it ran nothing.
 */
final class NetnsRequirement {
    private NetnsRequirement() {}

    /** Why a namespace test needing {@code tools} cannot run here, or empty if it can. */
    static Optional<String> unmet(String... tools) {
        Optional<String> reason = Testbed.available();
        if (reason.isPresent()) return reason;
        if (!Files.exists(Path.of("/dev/net/tun"))) return Optional.of("no /dev/net/tun (tun driver not available)");
        List<String> missing = new ArrayList<>();
        for (String tool : tools) if (Tools.find(tool).isEmpty()) missing.add(tool);
        return missing.isEmpty() ? Optional.empty() : Optional.of("missing tools: " + String.join(", ", missing));
    }

    /** Aborts the calling test (reported as skipped) with the reason printed, unless it can run. */
    static void assume(String test, String... tools) {
        Optional<String> reason = unmet(tools);
        reason.ifPresent(r -> System.out.println("skipped " + test + ": " + r));
        Assumptions.assumeTrue(reason.isEmpty(), () -> reason.orElseThrow());
    }
}
