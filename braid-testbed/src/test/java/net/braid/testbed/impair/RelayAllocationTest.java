package net.braid.testbed.impair;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The relay's four threads allocate nothing per datagram once warm, whatever impairment is on. */
class RelayAllocationTest {

    @Test
    void relayThreadsDoNotAllocatePerDatagram() throws Exception {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "needs com.sun.management.ThreadMXBean to count allocated bytes");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        Impairment everything = Impairment.NONE.withDelay(Duration.ofMillis(1)).withJitter(Duration.ofNanos(300_000), Impairment.JitterShape.NORMAL)
                .withLoss(new LossModel.GilbertElliott(1, 30)).withRate(200_000_000).withDuplicate(1);
        try (UdpEcho echo = UdpEcho.start(loopback);
                ImpairmentRelay relay = ImpairmentRelay.listen(loopback).target(echo.address()).impairment(everything).start();
                Sink.Sender sender = new Sink.Sender(relay.listenAddress(), 200)) {
            sender.sendPaced(20_000, 20); // warm up: JIT, JDK address caches
            Thread.sleep(200);
            List<Thread> relayThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("impair-") && !t.getName().equals("impair-schedule")).toList();
            assertThat(relayThreads).hasSize(4);
            long before = allocated(threads, relayThreads);
            long forwardedBefore = relay.counters().down().forwarded();
            sender.sendPaced(20_000, 20);
            Thread.sleep(200);
            long bytes = allocated(threads, relayThreads) - before;
            long carried = relay.counters().down().forwarded() - forwardedBefore;
            System.out.println("relay threads allocated " + bytes + " bytes while carrying " + carried + " datagrams back");
            assertThat(carried).as("datagrams carried both ways while measuring").isGreaterThan(10_000);
            assertThat(bytes).as("bytes allocated by the relay threads for %d datagrams", carried).isLessThan(16 * 1024);
        }
    }

    private static long allocated(com.sun.management.ThreadMXBean threads, List<Thread> relayThreads) {
        long sum = 0;
        for (Thread t : relayThreads) {
            sum += threads.getThreadAllocatedBytes(t.threadId());
        }
        return sum;
    }
}
