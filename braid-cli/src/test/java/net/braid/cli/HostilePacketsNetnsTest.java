package net.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import net.braid.linux.NetNamespace;
import net.braid.testbed.Host;
import net.braid.testbed.Iperf3;
import net.braid.testbed.Iperf3Result;
import net.braid.testbed.Ping;
import net.braid.testbed.Spawned;
import net.braid.testbed.Tools;
import net.braid.tunnel.DataHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Junk and replayed datagrams thrown at the right portal's UDP port from the left namespace
 * while iperf3 runs through the tunnel: each is dropped and counted, and the transfer goes on.
 * Needs root, /dev/net/tun, iproute2, iperf3 and ping, and tcpdump for the replays (it captures
 * genuine data packets off the wire); skipped with the reason printed otherwise.
 */
@Timeout(90)
class HostilePacketsNetnsTest {
    private static final int RIGHT_MTU = 1420; // PortalPair's configuration
    private static final int REPLAYS = 50;

    @Test
    void junkIsDroppedAndCountedWhileTrafficFlows() throws Exception {
        NetnsRequirement.assume("junk test", "ping", "iperf3", "ss");
        long seed = System.nanoTime();
        System.out.println("junk test: random seed " + seed);
        List<JunkDatagram> junk = JunkDatagram.generate(new Random(seed), 3000, RIGHT_MTU);
        try (PortalPair pair = PortalPair.create("itjunk").start();
             ExecutorService background = Executors.newSingleThreadExecutor()) {
            Host right = pair.right();
            TunnelNetnsTest.warmUp(pair);
            try (Iperf3.Server server = Iperf3.server(right, PortalPair.addr(PortalPair.RIGHT_V4))) {
                var transfer = CompletableFuture.supplyAsync(() -> Iperf3.client(pair.left(), server).seconds(3).run(), background);
                Thread.sleep(500); // into the transfer
                PortalStatus before = PortalStatus.read(pair, right);
                long dropsBefore = KernelDrops.towardsRight(pair);

                sendFromLeft(pair, junk.stream().map(JunkDatagram::bytes).toList());

                Iperf3Result result = transfer.get(30, TimeUnit.SECONDS);
                PortalStatus after = PortalStatus.read(pair, right);
                long kernelDrops = KernelDrops.towardsRight(pair) - dropsBefore;

                long junkSent = count(junk, JunkDatagram.Verdict.JUNK);
                long handshakesSent = count(junk, JunkDatagram.Verdict.HANDSHAKE_REJECTED);
                long dataSent = count(junk, JunkDatagram.Verdict.NO_SESSION);
                long junkCounted = after.dropped("junk") - before.dropped("junk");
                long handshakesCounted = after.dropped("handshake_rejected") - before.dropped("handshake_rejected");
                long dataCounted = delta(before, after, "unknown_session", "auth_failed", "replayed");
                System.out.printf("junk test: sent %d junk, %d handshake-sized, %d data-sized; counted %d, %d, %d;"
                        + " kernel dropped %d; iperf3 %.0f Mbit/s%n", junkSent, handshakesSent, dataSent,
                        junkCounted, handshakesCounted, dataCounted, kernelDrops, result.receivedMbps());

                assertThat(junkSent).isPositive();
                assertThat(handshakesSent).isPositive();
                assertThat(dataSent).isPositive();
                assertThat(junkCounted).as("dropped_junk").isGreaterThanOrEqualTo(junkSent - kernelDrops).isPositive();
                assertThat(handshakesCounted).as("dropped_handshake_rejected").isGreaterThanOrEqualTo(handshakesSent - kernelDrops);
                assertThat(dataCounted).as("dropped_unknown_session + auth_failed + replayed").isGreaterThanOrEqualTo(dataSent - kernelDrops);
                assertThat(result.receivedBitsPerSecond()).as("iperf3 goodput").isPositive();
                assertThat(TunnelNetnsTest.receivedBytes(result)).isPositive();
            }
            assertThat(stillServing(pair)).as("tunnel still answers after the junk").isTrue();
        }
    }

    @Test
    void replayedDataIsDroppedAndCountedWhileTrafficFlows() throws Exception {
        NetnsRequirement.assume("replay test", "ping", "iperf3", "ss", "tcpdump");
        try (PortalPair pair = PortalPair.create("itreplay").start();
             ExecutorService background = Executors.newSingleThreadExecutor()) {
            Host right = pair.right();
            TunnelNetnsTest.warmUp(pair);
            PortalStatus before = PortalStatus.read(pair, right);
            long dropsBefore = KernelDrops.towardsRight(pair);
            // Genuine data packets on their way in. "-Z root": tcpdump would otherwise drop to its own
            // user before opening the file; ".pcap": Ubuntu's AppArmor profile lets it write only such names.
            Path pcap = pair.config(right).resolveSibling("replays.pcap");
            Spawned capture = right.spawn(Tools.find("tcpdump").orElseThrow().toString(), "-i", pair.link().device(right),
                    "-n", "-U", "-Z", "root", "-c", Integer.toString(REPLAYS), "-w", pcap.toString(),
                    "udp dst port " + PortalPair.PORT + " and udp[8] = " + DataHeader.TYPE_DATA);
            capture.awaitOutput("listening on", Duration.ofSeconds(10));
            try (Iperf3.Server server = Iperf3.server(right, PortalPair.addr(PortalPair.RIGHT_V4))) {
                var transfer = CompletableFuture.supplyAsync(() -> Iperf3.client(pair.left(), server).seconds(3).run(), background);
                assertThat(capture.waitFor(Duration.ofSeconds(10))).as("tcpdump exit status; stderr: %s", capture.stderr()).isZero();
                List<byte[]> captured = PcapPayloads.read(Files.readAllBytes(pcap));
                assertThat(captured).hasSize(REPLAYS).allSatisfy(p -> assertThat(p[0]).isEqualTo(DataHeader.TYPE_DATA));
                Thread.sleep(500); // the originals are long accepted, their counters far behind

                // Each twice: even if the kernel had lost an original, its second copy is a replay.
                List<byte[]> replays = new ArrayList<>(captured);
                replays.addAll(captured);
                sendFromLeft(pair, replays);

                Iperf3Result result = transfer.get(30, TimeUnit.SECONDS);
                PortalStatus after = PortalStatus.read(pair, right);
                long kernelDrops = KernelDrops.towardsRight(pair) - dropsBefore;
                long replayedCounted = after.dropped("replayed") - before.dropped("replayed");
                System.out.printf("replay test: sent %d replays, dropped_replayed grew by %d, auth_failed by %d,"
                        + " unknown_session by %d; kernel dropped %d; iperf3 %.0f Mbit/s%n", replays.size(), replayedCounted,
                        after.dropped("auth_failed") - before.dropped("auth_failed"),
                        after.dropped("unknown_session") - before.dropped("unknown_session"), kernelDrops, result.receivedMbps());

                assertThat(replayedCounted).as("dropped_replayed").isPositive().isGreaterThanOrEqualTo(replays.size() - kernelDrops);
                assertThat(after.dropped("auth_failed")).as("replays are genuine: none fails authentication").isEqualTo(before.dropped("auth_failed"));
                assertThat(result.receivedBitsPerSecond()).as("iperf3 goodput").isPositive();
            }
            assertThat(stillServing(pair)).as("tunnel still answers after the replays").isTrue();
        }
    }

    /** Sends each datagram once from a fresh UDP socket in the left namespace to the right portal's port. */
    private static void sendFromLeft(PortalPair pair, List<byte[]> datagrams) throws Exception {
        InetSocketAddress target = new InetSocketAddress(pair.link().v4(pair.right()), PortalPair.PORT);
        NetNamespace.run(pair.left().namespace(), () -> {
            try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
                int i = 0;
                for (byte[] d : datagrams) {
                    int sent = channel.send(ByteBuffer.wrap(d), target);
                    if (sent != d.length) throw new IOException("sent " + sent + " of " + d.length + " bytes");
                    // Paced, so the receive queue is not what is tested here.
                    if (++i % 32 == 0) Thread.sleep(1);
                }
            }
            return null;
        });
    }

    /** The portal process survived and the tunnel still carries traffic. */
    private static boolean stillServing(PortalPair pair) {
        return pair.process(pair.right()).isAlive()
                && Ping.run(pair.left(), PortalPair.addr(PortalPair.RIGHT_V4), 3).allReceived();
    }

    private static long count(List<JunkDatagram> junk, JunkDatagram.Verdict verdict) {
        return junk.stream().filter(j -> j.verdict() == verdict).count();
    }

    private static long delta(PortalStatus before, PortalStatus after, String... reasons) {
        long sum = 0;
        for (String r : reasons) sum += after.dropped(r) - before.dropped(r);
        return sum;
    }
}
