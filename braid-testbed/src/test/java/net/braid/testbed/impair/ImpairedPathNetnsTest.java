package net.braid.testbed.impair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.braid.testbed.Host;
import net.braid.testbed.Link;
import net.braid.testbed.Spawned;
import net.braid.testbed.Testbed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The relay as a process in the middle of client—middle—server namespaces; needs root, skipped with the reason printed otherwise. */
class ImpairedPathNetnsTest {
    private static final String LABEL = "impair";
    private Testbed bed;

    @BeforeAll
    static void needsNamespaces() {
        Optional<String> reason = Testbed.available();
        reason.ifPresent(why -> System.out.println("SKIPPED impairment relay netns tests: " + why));
        Assumptions.assumeTrue(reason.isEmpty(), () -> reason.orElse(""));
    }

    @AfterEach
    void cleanUp() {
        if (bed != null) {
            bed.close();
            assertThat(Testbed.listNamespaces()).noneMatch(name -> name.startsWith("braid-" + LABEL + "-"));
        }
    }

    private static UdpEcho.Probe probe(Host client, InetSocketAddress to, int count, String timeout) {
        List<String> command = ImpairedPath.javaCommand(UdpEcho.class,
                List.of("probe", SocketAddresses.format(to), Integer.toString(count), "10ms", timeout));
        return UdpEcho.Probe.parse(client.exec(Duration.ofSeconds(60), command).requireSuccess().stdout());
    }

    @Test
    void delayCutAndRestoreAcrossNamespaces() throws InterruptedException {
        bed = Testbed.create(LABEL);
        Host client = bed.host("client");
        Host middle = bed.host("middle");
        Host server = bed.host("server");
        Link cm = bed.link(client, middle);
        Link ms = bed.link(middle, server);

        try (ImpairedPath path = ImpairedPath.through(middle, cm, ms).ports(7000, 7001).options("--delay", "20ms").start();
                ImpairedPath path6 = ImpairedPath.through(middle, cm, ms).ports(7002, 7003).ipv6(true).start()) {
            Spawned echo = server.spawn(ImpairedPath.javaCommand(UdpEcho.class, List.of("serve", SocketAddresses.format(path.target()))));
            Spawned echo6 = server.spawn(ImpairedPath.javaCommand(UdpEcho.class, List.of("serve", SocketAddresses.format(path6.target()))));
            echo.awaitOutput("echo listening", Duration.ofSeconds(20));
            echo6.awaitOutput("echo listening", Duration.ofSeconds(20));
            assertThat(path.listenAddress().getAddress()).isEqualTo(cm.v4(middle));
            assertThat(path.target().getAddress()).isEqualTo(ms.v4(server));

            UdpEcho.Probe delayed = probe(client, path.listenAddress(), 10, "1s");
            assertThat(delayed.received()).as(delayed.format()).isEqualTo(10);
            assertThat(delayed.minMs()).as(delayed.format()).isGreaterThanOrEqualTo(40);
            assertThat(delayed.avgMs()).as(delayed.format()).isLessThan(100);

            UdpEcho.Probe direct6 = probe(client, path6.listenAddress(), 5, "1s");
            assertThat(direct6.received()).as(direct6.format()).isEqualTo(5);
            assertThat(direct6.minMs()).as(direct6.format()).isLessThan(40);

            path.cut();
            UdpEcho.Probe cut = probe(client, path.listenAddress(), 3, "200ms");
            assertThat(cut.received()).isZero();
            RelayCounters counters = ImpairmentRelayTest.settled(path);
            assertThat(counters.up().droppedCut()).isEqualTo(3);
            assertThat(counters.up().forwarded()).isEqualTo(10);
            assertThat(counters.down().forwarded()).isEqualTo(10);

            path.restore();
            assertThat(path.command("delay 1ms")).isEqualTo("ok delay 1ms");
            UdpEcho.Probe restored = probe(client, path.listenAddress(), 5, "1s");
            assertThat(restored.received()).as(restored.format()).isEqualTo(5);
            assertThat(restored.minMs()).as(restored.format()).isBetween(2.0, 39.0);

            assertThatThrownBy(() -> path.command("delay soon")).isInstanceOf(IllegalArgumentException.class);
            assertThat(path.command("show")).startsWith("show up: delay=1ms");
        }
    }
}
