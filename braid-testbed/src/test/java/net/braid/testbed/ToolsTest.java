package net.braid.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolsTest {
    @Test
    void missingToolNamesItsDebianPackage() {
        assertThat(Tools.describeMissing(List.of("iperf3"))).contains("iperf3").contains("apt-get install iperf3");
        assertThat(Tools.describeMissing(List.of("ip", "tc", "ping")))
                .contains("ip (Debian package iproute2)")
                .contains("tc (Debian package iproute2)")
                .contains("ping (Debian package iputils-ping)")
                .endsWith("apt-get install iproute2 iputils-ping");
    }

    @Test
    void requireThrowsForATrulyMissingTool() {
        assertThatThrownBy(() -> Tools.require("sh", "braid-no-such-tool-xyz"))
                .isInstanceOfSatisfying(MissingToolException.class,
                        e -> assertThat(e.tools()).containsExactly("braid-no-such-tool-xyz"))
                .hasMessageContaining("braid-no-such-tool-xyz");
    }

    @Test
    void findsExecutablesOnThePath() {
        assertThat(Tools.find("sh")).hasValueSatisfying(path -> assertThat(Files.isExecutable(path)).isTrue());
        assertThat(Tools.find("braid-no-such-tool-xyz")).isEmpty();
        Tools.require("sh");
    }
}
