package net.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.braid.cli.MultipathPair.PathReading;
import net.braid.testbed.Iperf3;
import net.braid.testbed.Iperf3Result;
import net.braid.testbed.Link;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two real {@code braid up} portals joined by two veth links, one {@code [Path]} per link (see
 * {@link MultipathPair}): both paths share one TCP flow, a transfer survives a cut link, a UDP
 * stream moves to the other path, and a backup-metric path stays idle until the primary dies.
 * Needs root, /dev/net/tun, iproute2, iperf3 and ping; skipped with the reason printed otherwise.
 * With {@code BRAID_PATH_TRACE=1} in the environment the portals trace their paths and the TCP
 * test prints them.
 */
@Timeout(60)
class MultipathNetnsTest {
    private static final long LINK_RATE = 50_000_000L;
    private static final int TRANSFER_PORT = 5001;

    @Test
    void oneTcpFlowUsesBothPaths() {
        NetnsRequirement.assume("multipath iperf3 test", "ping", "iperf3", "ss");
        try (MultipathPair pair = MultipathPair.create("mpboth", 0).start()) {
            pair.linkA().rate(LINK_RATE);
            pair.linkB().rate(LINK_RATE);
            pair.awaitReady();
            PathReading a0 = pair.leftPath(pair.linkA());
            PathReading b0 = pair.leftPath(pair.linkB());

            Iperf3Result r = tcp(pair, 3);

            String after = pair.show(pair.left());
            PathReading a1 = pair.leftPath(pair.linkA(), after);
            PathReading b1 = pair.leftPath(pair.linkB(), after);
            long received = TunnelNetnsTest.receivedBytes(r);
            long txA = a1.txBytes() - a0.txBytes();
            long txB = b1.txBytes() - b0.txBytes();
            System.out.printf("multipath TCP: %.1f Mbit/s over two links of %d Mbit/s (sum %d Mbit/s), %d retransmits;"
                            + " path A sent %d bytes, path B %d bytes (%.0f %% on B)%n",
                    r.receivedMbps(), LINK_RATE / 1_000_000, 2 * LINK_RATE / 1_000_000, r.retransmits(),
                    txA, txB, 100.0 * txB / Math.max(1, txA + txB));

            System.out.println("tbf on the sending side:\n" + pair.leftQdiscs());
            if (System.getenv("BRAID_PATH_TRACE") != null) System.out.println(pair.state());
            assertThat(received).as("bytes iperf3 received").isPositive();
            assertThat(txA + txB).as("both paths together carried what iperf3 received").isGreaterThanOrEqualTo(received);
            // Both paths carry the one flow: the lesser at least a fifth of it (43-78 % on B measured).
            assertThat(Math.min(txA, txB)).as("bytes on the less used path, of %d" + pair.state(), txA + txB)
                    .isGreaterThanOrEqualTo((txA + txB) / 5);
            // More than one link could carry alone would be the goal; on a loaded 2-core machine the
            // portals' CPU is the limit, so only "a good part of one link" is asserted.
            assertThat(r.receivedMbps()).as("throughput over two links of 50 Mbit/s" + pair.state())
                    .isGreaterThan(0.3 * LINK_RATE / 1e6);
        }
    }

    @Test
    void tcpTransferSurvivesACutLinkAndItsReturn() throws Exception {
        NetnsRequirement.assume("multipath cut test", "ping");
        long bytes = 40L << 20;
        try (MultipathPair pair = MultipathPair.create("mpcut", 0).start()) {
            pair.awaitReady();
            try (DigestedTransfer transfer = DigestedTransfer.connect(pair.left().namespace(), pair.right().namespace(),
                    MultipathPair.addr(MultipathPair.RIGHT_V4), TRANSFER_PORT)) {
                // 40 MiB at 64 Mbit/s takes about 5 s: the cut (1 s to 4 s) falls in the middle.
                PathReading[] start = {pair.leftPath(pair.linkA()), pair.leftPath(pair.linkB())};
                CompletableFuture<DigestedTransfer.Outcome> done = transfer.start(bytes, 64_000_000L, 3);
                MultipathPair.sleep(Duration.ofSeconds(1));
                Link cut = busier(pair, start);
                cut.down();
                List<Sample> during = watch(pair, cut, Duration.ofSeconds(3));
                cut.up();
                DigestedTransfer.Outcome outcome = done.get(40, TimeUnit.SECONDS);
                PathReading back = pair.awaitLeftPath(cut, PathReading::up, "UP again", Duration.ofSeconds(5));

                System.out.println("cut link " + cut.index() + " during a " + bytes + "-byte transfer; path states seen:\n"
                        + render(during) + "\nback: " + back + "\n" + outcome);
                assertThat(outcome.receivedBytes()).as("bytes received" + pair.state()).isEqualTo(bytes);
                assertThat(outcome.intact()).as("SHA-256 of sent and received bytes match: %s", outcome).isTrue();
                assertThat(during).as("the cut path went DOWN while its link was cut" + pair.state())
                        .anyMatch(s -> s.cut().state().equals("DOWN"));
            }
        }
    }

    @Test
    void lowRateUdpStreamLosesAtMostOneBurstWhenItsLinkIsCut() throws Exception {
        NetnsRequirement.assume("multipath UDP cut test", "ping", "iperf3", "ss");
        try (MultipathPair pair = MultipathPair.create("mpudp", 0).start()) {
            pair.awaitReady();
            try (Iperf3.Server server = Iperf3.server(pair.right(), MultipathPair.addr(MultipathPair.RIGHT_V4))) {
                PathReading[] start = {pair.leftPath(pair.linkA()), pair.leftPath(pair.linkB())};
                CompletableFuture<Iperf3Result> client = CompletableFuture.supplyAsync(
                        () -> Iperf3.client(pair.left(), server).udp(1_000_000).seconds(6).run());
                MultipathPair.sleep(Duration.ofSeconds(2));
                // The cut must hit the path the stream is on, so cut the link that carried more of it.
                Link cut = busier(pair, start);
                cut.down();
                List<Sample> during = watch(pair, cut, Duration.ofSeconds(2));
                cut.up();
                Iperf3Result r = client.get(30, TimeUnit.SECONDS);
                String serverJson = server.result(Duration.ofSeconds(10)).json();

                long sent = field(section(r.json(), "sum_sent"), "packets");
                String receivedSum = section(r.json(), "sum_received");
                long received = field(receivedSum, "packets") - field(receivedSum, "lost_packets");
                List<Long> perSecond = receivedPerInterval(serverJson);
                System.out.println("UDP 1 Mbit/s, cut link " + cut.index() + " at 2 s, restored at 4 s: sent " + sent
                        + ", received " + received + ", lost " + String.format("%.2f %%", r.lostPercent())
                        + ", received per second " + perSecond + "\n" + render(during));

                assertThat(r.lostPercent()).as("iperf3 lost percent" + pair.state()).isLessThan(10.0);
                assertThat(received).as("datagrams received of %d sent", sent).isGreaterThan(sent * 8 / 10);
                assertThat(perSecond).as("receiver intervals").hasSizeGreaterThanOrEqualTo(6);
                long before = (perSecond.get(0) + perSecond.get(1)) / 2;
                // Seed 003 §4.2.1: the loss peaks at no more than 50 % in the second of the cut, then returns to 0.
                for (int i = 2; i < 6; i++) {
                    assertThat(perSecond.get(i)).as("datagrams received in second %d (normal %d)", i + 1, before)
                            .isGreaterThanOrEqualTo(before / 2);
                }
                assertThat(during).as("the cut path went DOWN" + pair.state()).anyMatch(s -> s.cut().state().equals("DOWN"));
            }
        }
    }

    @Test
    void backupMetricPathIsIdleUntilThePrimaryIsCut() {
        NetnsRequirement.assume("multipath backup test", "ping", "iperf3", "ss");
        try (MultipathPair pair = MultipathPair.create("mpbackup", 1).start()) {
            Link primary = pair.linkA();
            Link backup = pair.linkB();
            pair.awaitReady();
            PathReading b0 = pair.leftPath(backup);

            long first = TunnelNetnsTest.receivedBytes(tcp(pair, 2));

            PathReading b1 = pair.leftPath(backup);
            long idleTx = b1.txBytes() - b0.txBytes();
            System.out.println("backup path sent " + idleTx + " bytes while the primary carried " + first);
            assertThat(first).as("the first transfer moved several MB").isGreaterThan(2_000_000);
            assertThat(idleTx).as("backup path tx during the primary's transfer" + pair.state()).isLessThan(50_000);

            primary.down();
            pair.awaitLeftPath(primary, p -> p.state().equals("DOWN"), "DOWN", Duration.ofSeconds(3));
            PathReading b2 = pair.leftPath(backup);

            long second = TunnelNetnsTest.receivedBytes(tcp(pair, 2));

            PathReading b3 = pair.leftPath(backup);
            long backupTx = b3.txBytes() - b2.txBytes();
            System.out.println("backup path sent " + backupTx + " bytes of a " + second + "-byte transfer with the primary cut");
            assertThat(second).as("bytes received with the primary cut" + pair.state()).isPositive();
            assertThat(backupTx).as("backup path carried the whole transfer" + pair.state()).isGreaterThanOrEqualTo(second);
        }
    }

    /**
     * Paths with the RTTs of real links (4G, satellite): 10 and 40 ms one way through delay relays
     * in a middle namespace, each link limited to 20 Mbit/s, and a transfer offered at 30 Mbit/s —
     * more than one path carries, so the scheduler needs both. Until the relay's slot fix, the
     * relays died after a few datagrams and both paths went DOWN before the first ping.
     */
    @Test
    @Timeout(120)
    void tcpTransferOverPathsOf10And40MsOneWay() throws Exception {
        NetnsRequirement.assume("multipath delayed-paths test", "ping");
        long bytes = 12L << 20;
        long linkRate = 20_000_000L;
        Map<String, String> env = System.getenv("BRAID_PATH_TRACE") != null ? Map.of("BRAID_PATH_TRACE", "1") : Map.of();
        try (MultipathPair pair = MultipathPair.createRelayed("mpdelay", Duration.ofMillis(10), Duration.ofMillis(40))) {
            for (Link l : pair.links()) l.rate(linkRate);
            pair.portalEnvironment(env).start();
            pair.awaitReady();
            Link fast = pair.links().get(0);
            Link slow = pair.links().get(1);
            PathReading fast0 = pair.leftPath(fast);
            PathReading slow0 = pair.leftPath(slow);
            try (DigestedTransfer transfer = DigestedTransfer.connect(pair.left().namespace(), pair.right().namespace(),
                    MultipathPair.addr(MultipathPair.RIGHT_V4), TRANSFER_PORT)) {
                DigestedTransfer.Outcome outcome = transfer.start(bytes, 30_000_000L, 5).get(90, TimeUnit.SECONDS);
                String after = pair.show(pair.left());
                PathReading fast1 = pair.leftPath(fast, after);
                PathReading slow1 = pair.leftPath(slow, after);
                long txFast = fast1.txBytes() - fast0.txBytes();
                long txSlow = slow1.txBytes() - slow0.txBytes();
                System.out.printf("10/40 ms paths, 2 x %d Mbit/s: %d bytes in %d ms (%.1f Mbit/s), intact %b;"
                                + " 10 ms path sent %d bytes (min RTT %d us), 40 ms path %d bytes (min RTT %d us)%n",
                        linkRate / 1_000_000, outcome.receivedBytes(), outcome.millis(),
                        outcome.receivedBytes() * 8e-3 / Math.max(1, outcome.millis()), outcome.intact(),
                        txFast, fast1.minRttMicros(), txSlow, slow1.minRttMicros());
                if (!env.isEmpty()) System.out.println(pair.state());
                assertThat(outcome.receivedBytes()).as("bytes received" + pair.state()).isEqualTo(bytes);
                assertThat(outcome.intact()).as("SHA-256 of sent and received bytes match: %s", outcome).isTrue();
                // Both carry data: each above what keepalives and probes alone send in these seconds
                // (well under 5 kB). How much the slow path takes is the bench's question: a loaded CI
                // run gave it 49 kB of 13.6 MB, quieter runs far more.
                assertThat(Math.min(txFast, txSlow)).as("bytes on the less used path, of %d" + pair.state(), txFast + txSlow)
                        .isGreaterThan(20_000);
            }
        }
    }

    /** One poll of the left portal's paths: the cut one and the other, {@code millis} after the cut. */
    record Sample(long millis, PathReading cut, PathReading other) {}

    /** Polls the left portal every 40 ms for {@code span}, the link {@code cut} being down. */
    private static List<Sample> watch(MultipathPair pair, Link cut, Duration span) {
        Link other = cut == pair.linkA() ? pair.linkB() : pair.linkA();
        List<Sample> samples = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + span.toNanos();
        while (System.nanoTime() < end) {
            String show = pair.show(pair.left());
            samples.add(new Sample(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                    pair.leftPath(cut, show), pair.leftPath(other, show)));
            MultipathPair.sleep(Duration.ofMillis(40));
        }
        return samples;
    }

    /** The samples where the cut path's state or the other path's bytes changed (and the last), one a line. */
    private static String render(List<Sample> samples) {
        StringBuilder b = new StringBuilder();
        Sample previous = null;
        int lines = 0;
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            boolean changed = previous == null || !s.cut().state().equals(previous.cut().state())
                    || !s.other().state().equals(previous.other().state()) || s.other().txBytes() != previous.other().txBytes();
            if ((changed && lines < 12) || i == samples.size() - 1) {
                b.append(String.format("  +%4d ms  cut path %s %-7s tx %d lost %d | other path %s %-7s tx %d srtt %d us"
                                + " cwnd %d pacing %d bit/s delivery %d bit/s%n",
                        s.millis(), s.cut().id(), s.cut().state(), s.cut().txBytes(), s.cut().lostPackets(),
                        s.other().id(), s.other().state(), s.other().txBytes(), s.other().srttMicros(),
                        s.other().cwndBytes(), s.other().pacingBps(), s.other().deliveryBps()));
                lines++;
            }
            previous = s;
        }
        return b.toString();
    }

    /** The link whose left path sent more since {@code start} ({A, B} readings). */
    private static Link busier(MultipathPair pair, PathReading[] start) {
        String show = pair.show(pair.left());
        long a = pair.leftPath(pair.linkA(), show).txBytes() - start[0].txBytes();
        long b = pair.leftPath(pair.linkB(), show).txBytes() - start[1].txBytes();
        System.out.println("before the cut: path A sent " + a + " bytes, path B " + b);
        return a >= b ? pair.linkA() : pair.linkB();
    }

    private static Iperf3Result tcp(MultipathPair pair, int seconds) {
        try (Iperf3.Server server = Iperf3.server(pair.right(), MultipathPair.addr(MultipathPair.RIGHT_V4))) {
            return Iperf3.client(pair.left(), server).seconds(seconds).run();
        }
    }

    private static final Pattern END = Pattern.compile("\"end\"\\s*:\\s*\\{");
    private static final Pattern INTERVAL_SUM = Pattern.compile("\"sum\"\\s*:\\s*\\{([^}]*)}");

    /** The fields of {@code end.<name>} in an iperf3 JSON report. */
    private static String section(String json, String name) {
        Matcher end = END.matcher(json);
        assertThat(end.find()).as("iperf3 report has an end section").isTrue();
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\\{([^}]*)}").matcher(json);
        assertThat(m.find(end.start())).as("iperf3 report has end.%s", name).isTrue();
        return m.group(1);
    }

    private static long field(String section, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(section);
        assertThat(m.find()).as("%s in %s", name, section).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Datagrams the server received in each reporting second (packets minus lost). */
    private static List<Long> receivedPerInterval(String serverJson) {
        Matcher end = END.matcher(serverJson);
        assertThat(end.find()).as("iperf3 server report has an end section").isTrue();
        Matcher m = INTERVAL_SUM.matcher(serverJson);
        m.region(0, end.start());
        List<Long> out = new ArrayList<>();
        while (m.find()) out.add(field(m.group(1), "packets") - field(m.group(1), "lost_packets"));
        return out;
    }
}
