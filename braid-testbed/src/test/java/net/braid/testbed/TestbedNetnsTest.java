package net.braid.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real namespaces, veths and tools; needs root, skipped with the reason printed otherwise. */
class TestbedNetnsTest {
    private static final String LABEL = "tbtest";
    private Testbed bed;

    @BeforeAll
    static void needsNamespaces() {
        Optional<String> reason = Testbed.available();
        reason.ifPresent(why -> System.out.println("SKIPPED netns tests: " + why));
        Assumptions.assumeTrue(reason.isEmpty(), () -> reason.orElse(""));
        try {
            Tools.require("ping", "iperf3", "ss");
        } catch (MissingToolException e) {
            System.out.println("SKIPPED netns tests: " + e.getMessage());
            Assumptions.abort(e.getMessage());
        }
    }

    @AfterEach
    void cleanUp() {
        if (bed != null) {
            bed.close();
            assertThat(Testbed.listNamespaces()).noneMatch(name -> name.startsWith("braid-" + LABEL + "-" ));
        }
    }

    @Test
    void twoHostsPingOverIpv4AndIpv6() {
        bed = Testbed.create(LABEL);
        Host a = bed.host("a");
        Host b = bed.host("b");
        Link link = bed.link(a, b);

        assertThat(link.v4(a).getHostAddress()).isEqualTo("198.18.0.1");
        assertThat(link.v4(b).getHostAddress()).isEqualTo("198.18.0.2");
        assertThat(link.device(a)).isEqualTo("b0-b");
        assertThat(a.run("ip", "-br", "addr", "show", "dev", "b0-b").stdout()).contains("198.18.0.1/24", "2001:db8::1/64");

        PingResult v4 = Ping.run(a, link.v4(b), 3);
        PingResult v6 = Ping.run(b, link.v6(a), 3);
        assertThat(v4.allReceived()).as(v4.toString()).isTrue();
        assertThat(v6.allReceived()).as(v6.toString()).isTrue();
        assertThat(v4.rttAvgMs()).isPositive();
    }

    @Test
    void routerForwardsAlongALine() {
        bed = Testbed.create(LABEL);
        Host a = bed.host("a");
        Host r = bed.host("router").router();
        Host b = bed.host("b");
        Link ar = bed.link(a, r);
        Link rb = bed.link(r, b);
        assertThat(r.run("sysctl", "-n", "net.ipv4.ip_forward").stdout().strip()).isEqualTo("1");

        // No route yet: the far subnet is unreachable, which is what makes the routes below matter.
        assertThatThrownBy(() -> Ping.run(a, rb.v4(b), 1)).isInstanceOf(CommandFailedException.class);

        a.routeTo(rb, ar);
        b.defaultRoute(rb);
        assertThat(a.run("ip", "route").stdout()).contains("198.18.1.0/24 via 198.18.0.2");
        assertThat(b.run("ip", "-6", "route").stdout()).contains("default via 2001:db8:0:1::1");

        assertThat(Ping.run(a, rb.v4(b), 3).allReceived()).isTrue();
        assertThat(Ping.run(a, rb.v6(b), 3).allReceived()).isTrue();
        assertThat(Ping.run(b, ar.v6(a), 3).allReceived()).isTrue();
    }

    @Test
    void tbfLimitsTcpThroughputToTheSetRate() {
        bed = Testbed.create(LABEL);
        Host a = bed.host("a");
        Host b = bed.host("b");
        Link link = bed.link(a, b).rate(a, 50_000_000);
        assertThat(a.run("tc", "qdisc", "show", "dev", link.device(a)).stdout()).contains("tbf", "rate 50Mbit");

        try (Iperf3.Server server = Iperf3.server(b, link.v4(b))) {
            Iperf3Result result = Iperf3.client(a, server).seconds(2).run();
            System.out.println("tbf 50 Mbit/s: " + result);
            // A check of the tbf settings, not of braid's speed: generous bounds on purpose.
            assertThat(result.receivedMbps()).isBetween(35.0, 60.0);
        }

        link.clearRate();
        assertThat(a.run("tc", "qdisc", "show", "dev", link.device(a)).stdout()).doesNotContain("tbf");
    }

    @Test
    void udpRunReportsLoss() {
        bed = Testbed.create(LABEL);
        Host a = bed.host("a");
        Host b = bed.host("b");
        Link link = bed.link(a, b);
        try (Iperf3.Server server = Iperf3.server(b, link.v6(b), 5301)) {
            Iperf3Result result = Iperf3.client(a, server).udp(5_000_000).seconds(1).run();
            assertThat(result.protocol()).isEqualTo("UDP");
            assertThat(result.lostPercent()).isLessThan(5.0);
            assertThat(result.receivedMbps()).isBetween(3.0, 7.0);
        }
    }

    @Test
    void downCutsALinkAndUpRestoresAddressesRoutesAndRate() {
        bed = Testbed.create(LABEL);
        Host a = bed.host("a");
        Host r = bed.host("r").router();
        Host b = bed.host("b");
        Link ar = bed.link(a, r).rate(a, 20_000_000);
        Link rb = bed.link(r, b);
        a.defaultRoute(ar);
        b.defaultRoute(rb);
        assertThat(Ping.run(a, rb.v6(b), 2).allReceived()).isTrue();

        ar.down();
        assertThat(ar.isUp()).isFalse();
        PingResult cut = pingAllowingNoRoute(a, rb.v4(b));
        assertThat(cut.received()).isZero();

        ar.up();
        assertThat(Ping.run(a, rb.v4(b), 3).allReceived()).isTrue();
        assertThat(Ping.run(a, rb.v6(b), 3).allReceived()).isTrue();
        assertThat(a.run("tc", "qdisc", "show", "dev", ar.device(a)).stdout()).contains("tbf");
    }

    @Test
    void execRunAndTimeouts() {
        bed = Testbed.create(LABEL);
        Host a = bed.host("a");
        ExecResult echo = a.exec("sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(echo.exitCode()).isEqualTo(3);
        assertThat(echo.stdout()).isEqualTo("out\n");
        assertThat(echo.stderr()).isEqualTo("err\n");
        assertThat(echo.command()).containsExactly("sh", "-c", "echo out; echo err >&2; exit 3");

        assertThatThrownBy(() -> a.run("sh", "-c", "echo nope >&2; exit 7"))
                .isInstanceOfSatisfying(CommandFailedException.class, e -> assertThat(e.result().exitCode()).isEqualTo(7))
                .hasMessageContaining("exit 7").hasMessageContaining("nope");

        long start = System.nanoTime();
        assertThatThrownBy(() -> a.exec(Duration.ofMillis(300), "sleep", "30"))
                .isInstanceOf(TestbedException.class).hasMessageContaining("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

        // Commands really run inside the namespace: it has lo and nothing else.
        assertThat(a.run("ip", "-o", "link").stdout().lines()).hasSize(1).first().asString().contains("lo");
    }

    @Test
    void spawnedProcessAndItsChildrenStop() {
        bed = Testbed.create(LABEL);
        Host a = bed.host("a");
        Spawned shell = a.spawn("sh", "-c", "sleep 600 & echo started; wait");
        shell.awaitOutput("started", Duration.ofSeconds(5));
        List<ProcessHandle> children = shell.handle().descendants().toList();
        assertThat(children).isNotEmpty();

        shell.stop();
        assertThat(shell.isAlive()).isFalse();
        assertThat(children).noneMatch(ProcessHandle::isAlive);
        assertThat(shell.stdout()).isEqualTo("started\n");
    }

    @Test
    void closeStopsSpawnedProcessesAndDeletesEveryNamespace() {
        Testbed own = Testbed.create(LABEL);
        Host a = own.host("a");
        Host b = own.host("b");
        own.link(a, b);
        Spawned sleeper = a.spawn("sleep", "600");
        Spawned ignoresTerm = b.spawn("sh", "-c", "trap '' TERM; echo ready; while true; do sleep 1; done");
        ignoresTerm.awaitOutput("ready", Duration.ofSeconds(5));
        List<String> namespaces = own.namespaces();
        assertThat(Testbed.listNamespaces()).containsAll(namespaces);

        own.close();

        assertThat(sleeper.isAlive()).isFalse();
        assertThat(ProcessHandle.of(sleeper.pid())).isEmpty();
        assertThat(ignoresTerm.isAlive()).isFalse();
        assertThat(Testbed.listNamespaces()).doesNotContainAnyElementsOf(namespaces);
        assertThatThrownBy(() -> a.run("true")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void removeStaleDeletesOnlyNamespacesOfDeadRuns() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        String deadPid = Long.toString(finished.pid(), 36);
        String stale = new NamespaceName(LABEL, "old", "0".repeat(5 - deadPid.length()) + deadPid + "abc").toString();
        String live = new NamespaceName(LABEL, "live", NamespaceName.newRun()).toString();
        String otherLabel = new NamespaceName("tbother", "old", "0".repeat(5 - deadPid.length()) + deadPid + "abc").toString();
        List<String> made = List.of(stale, live, otherLabel);
        try {
            for (String name : made) {
                Command.run(List.of(Tools.path("ip"), "netns", "add", name));
            }
            assertThat(Testbed.removeStale(LABEL)).containsExactly(stale);
            assertThat(Testbed.listNamespaces()).doesNotContain(stale).contains(live, otherLabel);
        } finally {
            for (String name : made) {
                Command.exec(Command.DEFAULT_TIMEOUT, List.of(Tools.path("ip"), "netns", "delete", name));
            }
        }
    }

    @Test
    void refusesAddressesAndRoutesOutsideTheTestRanges() {
        bed = Testbed.create(LABEL);
        Host a = bed.host("a");
        Host b = bed.host("b");
        Link link = bed.link(a, b);
        assertThatThrownBy(() -> a.route("10.0.0.0/8", link)).isInstanceOf(TestbedException.class);
        assertThatThrownBy(() -> a.route("0.0.0.0/0", link)).isInstanceOf(TestbedException.class);
        assertThatThrownBy(() -> Ping.run(a, TestRanges.literal("192.168.1.1"))).isInstanceOf(TestbedException.class);
        assertThatThrownBy(() -> a.sysctl("kernel.panic", "1")).isInstanceOf(TestbedException.class);
        assertThatThrownBy(() -> bed.host("a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bed.link(a, a)).isInstanceOf(IllegalArgumentException.class);
    }

    private static PingResult pingAllowingNoRoute(Host from, java.net.InetAddress to) {
        try {
            return Ping.run(from, to, 2);
        } catch (CommandFailedException noRoute) {
            return new PingResult(2, 0, Double.NaN);
        }
    }
}
