package net.braid.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Clean-up when close() is never reached: a JVM that exits, and one that is killed. */
class TestbedCleanupTest {
    @BeforeAll
    static void needsNamespaces() {
        Optional<String> reason = Testbed.available();
        reason.ifPresent(why -> System.out.println("SKIPPED netns cleanup tests: " + why));
        Assumptions.assumeTrue(reason.isEmpty(), () -> reason.orElse(""));
    }

    @Test
    void shutdownHookCleansUpWhenCloseIsNeverCalled() throws Exception {
        Process child = start("tbhook", "exit");
        Abandoned left = readReport(child);
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(Testbed.listNamespaces()).doesNotContainAnyElementsOf(left.namespaces());
        assertThat(ProcessHandle.of(left.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void removeStaleCleansUpAfterACrashedRun() throws Exception {
        Process child = start("tbcrash", "hang");
        Abandoned left;
        try {
            left = readReport(child);
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(Testbed.listNamespaces()).containsAll(left.namespaces());
        assertThat(ProcessHandle.of(left.pid()).filter(ProcessHandle::isAlive)).isPresent();

        assertThat(Testbed.removeStale("tbcrash")).containsExactlyInAnyOrderElementsOf(left.namespaces());

        assertThat(Testbed.listNamespaces()).doesNotContainAnyElementsOf(left.namespaces());
        assertThat(ProcessHandle.of(left.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    }

    private record Abandoned(List<String> namespaces, long pid) {}

    private static Process start(String label, String mode) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AbandonedTestbed.class.getName(), label, mode)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static Abandoned readReport(Process child) throws IOException {
        var reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String namespaces = reader.readLine();
        String pid = reader.readLine();
        assertThat(namespaces).as("child output").startsWith("namespaces ");
        assertThat(pid).as("child output").startsWith("pid ");
        List<String> names = Arrays.asList(namespaces.substring("namespaces ".length()).split(" "));
        assertThat(names).hasSize(2);
        return new Abandoned(names, Long.parseLong(pid.substring("pid ".length())));
    }
}
