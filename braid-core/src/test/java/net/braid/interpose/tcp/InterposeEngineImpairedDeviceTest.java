package net.braid.interpose.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.braid.device.MemoryPacketDevice;
import net.braid.interpose.FlowInfo;
import net.braid.interpose.FlowKey;
import net.braid.interpose.InterposeConfig;
import net.braid.interpose.InterposeEngine;
import net.braid.interpose.TcpUpstream;
import net.braid.interpose.UdpUpstream;
import net.braid.interpose.UpstreamDialer;
import net.braid.packet.IpPacket;
import net.braid.packet.TcpHeader;
import net.braid.packet.TcpSegment;
import net.braid.packet.UpperLayer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole {@link InterposeEngine} (reader, loop, flow table, endpoints, upstream hand-off) over
 * an in-memory device whose packets are dropped, duplicated and reordered both ways, with three
 * apps at once — two IPv4 connections that differ only in the source port and one IPv6 — driven by
 * the independent {@link ReferenceApp}, and in-memory upstreams that honour pauseReading. Every
 * byte stream arrives exactly, both FINs of every connection are exchanged and nobody resets a
 * connection before both FINs are through.
 * Lives beside the endpoint's tests to reuse the reference TCP; it runs on the real clock.
 */
@Timeout(120)
class InterposeEngineImpairedDeviceTest {
    private static final int MTU = 1500;

    @ParameterizedTest(name = "seed {0}, loss {1}%, duplicates {2}%, reordered {3}%")
    @CsvSource({"1, 0, 0, 0", "2, 5, 5, 20", "3, 8, 3, 30"})
    void everyStreamArrivesExactlyThroughAnImpairedDevice(long seed, int loss, int duplicates, int reorder) throws Exception {
        Random rnd = new Random(seed);
        var device = new MemoryPacketDevice("braidtest0", MTU, 1 << 16);
        var dialer = new MemoryDialer();
        List<ReferenceApp> apps = List.of(
                new ReferenceApp(AppPeer.V4, 40001, bytes(rnd, 40_000)),
                new ReferenceApp(AppPeer.V4, 40002, bytes(rnd, 5_000)),
                new ReferenceApp(AppPeer.V6, 40001, bytes(rnd, 20_000)));
        List<byte[]> downs = List.of(bytes(rnd, 200_000), bytes(rnd, 1), bytes(rnd, 100_000));
        for (int i = 0; i < apps.size(); i++) dialer.down.put(portKey(apps.get(i).addresses.headerLength(), apps.get(i).port), downs.get(i));

        var engine = new InterposeEngine(device, dialer, InterposeConfig.defaults(MTU), new SplittableRandom(seed));
        engine.start();
        try {
            for (ReferenceApp app : apps) device.inject(array(app.syn()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            // Until the apps are done and the engine knows it: its FIN's ACK may be lost, leaving it in
            // LAST_ACK until its retransmitted FIN is acknowledged.
            while (!(done(apps, dialer) && settled(engine)) && System.nanoTime() < deadline) {
                List<byte[]> fromEngine = new ArrayList<>();
                byte[] first = device.awaitSent(1, TimeUnit.MILLISECONDS);
                if (first != null) fromEngine.add(first);
                device.sent().drainTo(fromEngine);
                long now = System.nanoTime();
                for (byte[] p : TcpEndpointPropertyTest.impair(fromEngine, rnd, loss, duplicates, reorder)) {
                    ReferenceApp app = appOf(apps, p);
                    TcpSegment segment = TcpSegment.parse(ByteBuffer.wrap(p), 0, p.length);
                    // Once both FINs are through, the engine forgets the flow, and a delayed duplicate from the app
                    // draws a RST, as from any TCP; before that, a RST fails the test (ReferenceApp throws).
                    if ((segment.flags() & TcpHeader.RST) != 0 && app.peerFin && app.finAcknowledged()) continue;
                    app.receive(segment, now);
                }
                List<byte[]> toEngine = new ArrayList<>();
                for (ReferenceApp app : apps) {
                    app.pump(now);
                    toEngine.addAll(app.out);
                    app.out.clear();
                }
                for (byte[] p : TcpEndpointPropertyTest.impair(toEngine, rnd, loss, duplicates, reorder)) device.inject(p);
                dialer.pump();
            }
            for (int i = 0; i < apps.size(); i++) {
                ReferenceApp app = apps.get(i);
                MemoryUpstream up = dialer.upstreams.get(portKey(app.addresses.headerLength(), app.port));
                String where = "flow " + i + " " + engine.flows() + ", app got " + app.received.size() + " of " + downs.get(i).length;
                assertThat(up).as("upstream dialled: " + where).isNotNull();
                assertThat(Arrays.equals(app.received.toByteArray(), downs.get(i))).as("bytes at the app: " + where).isTrue();
                assertThat(Arrays.equals(up.received(), app.toSend)).as("bytes upstream: " + where + ", upstream got "
                        + up.received().length + " of " + app.toSend.length).isTrue();
                assertThat(app.peerFin).as("FIN at the app: " + where).isTrue();
                assertThat(app.finAcknowledged()).as("app's FIN acknowledged: " + where).isTrue();
                assertThat(up.outputShut).as("end of stream upstream: " + where).isTrue();
                assertThat(up.reset).as("upstream reset: " + where).isFalse();
            }
            for (FlowInfo f : engine.flows()) assertThat(f.state()).as(f.key().toString()).isIn("TIME_WAIT", "CLOSED");
            assertThat(engine.counters()).containsEntry("malformed", 0L);
        } finally {
            engine.close();
            device.close();
        }
    }

    private static boolean done(List<ReferenceApp> apps, MemoryDialer dialer) {
        for (ReferenceApp app : apps) {
            MemoryUpstream up = dialer.upstreams.get(portKey(app.addresses.headerLength(), app.port));
            if (up == null || !app.peerFin || !app.finAcknowledged() || !up.outputShut) return false;
        }
        return true;
    }

    private static boolean settled(InterposeEngine engine) {
        return engine.flows().stream().allMatch(f -> f.state().equals("TIME_WAIT") || f.state().equals("CLOSED"));
    }

    /** The app a packet from the engine is for: by IP version and destination port. */
    private static ReferenceApp appOf(List<ReferenceApp> apps, byte[] p) {
        ByteBuffer b = ByteBuffer.wrap(p);
        int l4 = UpperLayer.offset(IpPacket.upperLayer(b, 0, p.length));
        int headerLength = (p[0] >> 4) == 6 ? 40 : 20;
        int port = TcpHeader.dstPort(b, l4);
        return apps.stream().filter(a -> a.port == port && a.addresses.headerLength() == headerLength).findFirst()
                .orElseThrow(() -> new AssertionError("packet for no app, port " + port));
    }

    private static long portKey(int ipHeaderLength, int port) {
        return (long) ipHeaderLength << 16 | port;
    }

    private static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private static byte[] array(ByteBuffer b) {
        return Arrays.copyOfRange(b.array(), 0, b.limit());
    }

    /** Upstreams in memory: each sends its flow's bytes in 16 kB pieces while not paused, then ends, and keeps what it receives. */
    private static final class MemoryDialer implements UpstreamDialer {
        final Map<Long, byte[]> down = new ConcurrentHashMap<>();
        final Map<Long, MemoryUpstream> upstreams = new ConcurrentHashMap<>();

        @Override
        public TcpUpstream dialTcp(FlowKey key, TcpUpstream.Events events) {
            long k = portKey(key.addresses().headerLength(), key.srcPort());
            var up = new MemoryUpstream(events, down.get(k));
            events.connected(); // before the test thread can see it and send: events come in order per stream
            upstreams.put(k, up);
            return up;
        }

        @Override
        public UdpUpstream dialUdp(FlowKey key, UdpUpstream.Events events) {
            throw new AssertionError("no UDP in this test: " + key);
        }

        /** On the test thread: the far ends send what they may. */
        void pump() {
            for (MemoryUpstream up : upstreams.values()) up.pump();
        }
    }

    private static final class MemoryUpstream implements TcpUpstream {
        private final Events events;
        private final byte[] down;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private int offered;
        private boolean endSent;
        volatile boolean paused;
        volatile boolean outputShut;
        volatile boolean reset;

        MemoryUpstream(Events events, byte[] down) {
            this.events = events;
            this.down = down;
        }

        void pump() {
            if (paused || reset) return;
            if (offered < down.length) {
                int n = Math.min(16_384, down.length - offered);
                events.data(ByteBuffer.wrap(Arrays.copyOfRange(down, offered, offered + n)));
                offered += n;
            } else if (!endSent) {
                endSent = true;
                events.end();
            }
        }

        synchronized byte[] received() {
            return received.toByteArray();
        }

        @Override
        public synchronized void write(ByteBuffer data) {
            int n = data.remaining();
            byte[] copy = new byte[n];
            data.get(copy);
            received.write(copy, 0, n);
            events.written(n);
        }

        @Override public void shutdownOutput() { outputShut = true; }

        @Override public void reset() { reset = true; }

        @Override public void pauseReading(boolean paused) { this.paused = paused; }
    }
}
