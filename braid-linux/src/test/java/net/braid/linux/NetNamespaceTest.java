package net.braid.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What needs no root: refusals happen before any system call changes anything. */
class NetNamespaceTest {
    @Test
    void refusesVirtualThreads() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                NetNamespace.enter("braid-never-made");
            } catch (Throwable t) {
                thrown.set(t);
            }
        }).join();
        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("virtual thread");
    }

    @Test
    void missingNamespaceSaysSo() {
        assertThatThrownBy(() -> NetNamespace.run("braid-never-made-" + ProcessHandle.current().pid(), () -> 1))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errnoName()).isEqualTo("ENOENT");
                    assertThat(e).hasMessageContaining("no network namespace named braid-never-made");
                });
    }

    @Test
    void rejectsNamesThatAreNotFileNames() {
        assertThatThrownBy(() -> NetNamespace.enter("../etc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkConfig.inNamespace("")).isInstanceOf(IllegalArgumentException.class);
    }
}
