package net.braid.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class NamespaceNameTest {
    @Test
    void formatsAndParsesBack() {
        NamespaceName name = new NamespaceName("demo", "router", "00abc123");
        assertThat(name).hasToString("braid-demo-router-00abc123");
        assertThat(NamespaceName.parse("braid-demo-router-00abc123")).contains(name);
    }

    @Test
    void ignoresNamespacesThatAreNotOurs() {
        assertThat(NamespaceName.parse("netns1")).isEmpty();
        assertThat(NamespaceName.parse("braid")).isEmpty();
        assertThat(NamespaceName.parse("braid-demo-a")).isEmpty();
        assertThat(NamespaceName.parse("braid-demo-a-b-00abc123")).isEmpty();
        assertThat(NamespaceName.parse("braid-Demo-a-00abc123")).isEmpty();
        assertThat(NamespaceName.parse("braidx-demo-a-00abc123")).isEmpty();
    }

    @Test
    void rejectsNamesThatWouldBreakParsing() {
        assertThatThrownBy(() -> new NamespaceName("de-mo", "a", "00abc123")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NamespaceName("demo", "", "00abc123")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NamespaceName("averyverylonglabel", "a", "00abc123")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void runIdNamesThisJvmAsOwner() {
        String run = NamespaceName.newRun();
        assertThat(run).matches("[a-z0-9]{8}");
        NamespaceName name = new NamespaceName("demo", "a", run);
        assertThat(name.ownerPid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(name.ownerMayBeAlive()).isTrue();
        assertThat(NamespaceName.newRun()).isNotEqualTo(run).startsWith(run.substring(0, 5));
    }

    @Test
    void ownerOfAFinishedProcessIsGone() throws IOException, InterruptedException {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        String pid = Long.toString(finished.pid(), 36);
        NamespaceName name = new NamespaceName("demo", "a", "0".repeat(5 - pid.length()) + pid + "zzz");
        assertThat(name.ownerPid()).isEqualTo(finished.pid());
        assertThat(name.ownerMayBeAlive()).isFalse();
    }
}
