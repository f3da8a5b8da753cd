package net.braid.interpose;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.braid.device.PacketDevice;
import net.braid.packet.AddressPair;
import net.braid.packet.TcpHeader;
import net.braid.packet.TcpOptions;
import net.braid.packet.TcpSegment;
import net.braid.packet.UdpDatagram;
import net.braid.testing.SteadyAllocation;
import org.junit.jupiter.api.Test;

/**
 * The engine's way from the device to a flow allocates nothing per packet: TCP data segments of an
 * established connection (validated, found by 5-tuple, taken by the endpoint, handed upstream,
 * ACKed) and datagrams of an open UDP flow. The loop is not started; its per-packet work runs on
 * the test thread, where the JVM counts what it allocates.
 */
class InterposeEngineAllocationTest {
    private static final AddressPair APP = AddressPair.of("198.18.0.2", "198.19.1.1");
    private static final int SEGMENTS = 200;
    private static final int PAYLOAD = 1000;
    private static final long APP_ISN = 1000;
    private static final int UDP_PACKET = 20 + 8 + PAYLOAD;

    @Test
    void tcpDataSegmentsOfAnEstablishedFlowAllocateNothing() throws Exception {
        var device = new CountingDevice();
        var dialer = new CountingDialer();
        var engine = new InterposeEngine(device, dialer, InterposeConfig.defaults(1500), new SplittableRandom(3));
        long now = System.nanoTime();
        device.keep = true;
        engine.receiveOnCallerThread(segment(APP_ISN, 0, TcpHeader.SYN, TcpOptions.syn(1460, 7, false, -1), 0), now);
        engine.runTasksOnCallerThread(now); // the upstream connected: SYN-ACK
        TcpSegment synAck = TcpSegment.parse(ByteBuffer.wrap(device.kept.getLast()), 0, device.kept.getLast().length);
        assertThat(synAck.flags() & (TcpHeader.SYN | TcpHeader.ACK)).isEqualTo(TcpHeader.SYN | TcpHeader.ACK);
        long ourAck = (synAck.seq() + 1) & 0xFFFF_FFFFL;
        engine.receiveOnCallerThread(segment(APP_ISN + 1, ourAck, TcpHeader.ACK, TcpOptions.NONE, 0), now);
        device.keep = false;

        // Every round's segments are built before the measurement starts (1 warm-up + up to 5 measured rounds).
        List<ByteBuffer> segments = new ArrayList<>();
        for (int i = 0; i < 6 * SEGMENTS; i++) {
            segments.add(segment(APP_ISN + 1 + (long) i * PAYLOAD, ourAck, TcpHeader.ACK | TcpHeader.PSH, TcpOptions.NONE, PAYLOAD));
        }
        int[] next = {0};
        SteadyAllocation.assertAllocatesNothing("TCP data segments", SEGMENTS, () -> {
            long t = System.nanoTime();
            for (int i = 0; i < SEGMENTS; i++) engine.receiveOnCallerThread(segments.get(next[0]++), t);
            // The upstream reports its writes once per round, as a real stream's completions arrive in batches.
            dialer.tcp.reportWritten();
            engine.runTasksOnCallerThread(t);
        });
        assertThat(dialer.tcp.bytes).isEqualTo((long) next[0] * PAYLOAD);
        assertThat(device.packets).as("ACKs to the app").isPositive();
        assertThat(engine.counters()).containsEntry("malformed", 0L).containsEntry("resets_for_unknown", 0L);
    }

    @Test
    void datagramsOfAnOpenUdpFlowAllocateNothing() {
        var device = new CountingDevice();
        var dialer = new CountingDialer();
        var engine = new InterposeEngine(device, dialer, InterposeConfig.defaults(1500), new SplittableRandom(4));
        long now = System.nanoTime();
        List<ByteBuffer> datagrams = new ArrayList<>();
        for (int i = 0; i < SEGMENTS; i++) {
            ByteBuffer b = ByteBuffer.allocate(1500);
            b.limit(UdpDatagram.write(b, 0, APP, 64, 5353, 53, ByteBuffer.wrap(new byte[PAYLOAD])));
            datagrams.add(b);
        }
        engine.receiveOnCallerThread(datagrams.getFirst().duplicate(), now);
        engine.runTasksOnCallerThread(now); // the upstream flow opened
        SteadyAllocation.assertAllocatesNothing("UDP datagrams", SEGMENTS, () -> {
            long t = System.nanoTime();
            // The engine narrows the pooled buffer to the payload; a device read would reset it, as clear() does here.
            for (int i = 0; i < SEGMENTS; i++) engine.receiveOnCallerThread(datagrams.get(i).clear().limit(UDP_PACKET), t);
        });
        assertThat(dialer.udpDatagrams).as("datagrams upstream (warm-up and at least one measured round)")
                .isGreaterThanOrEqualTo(2L * SEGMENTS + 1);
    }

    private static ByteBuffer segment(long seq, long ack, int flags, TcpOptions options, int payload) {
        var seg = new TcpSegment(APP, 40000, 443, seq & 0xFFFF_FFFFL, ack, flags, 65535, 0, options, new byte[payload]);
        ByteBuffer b = ByteBuffer.allocate(seg.length());
        seg.write(b, 0, 64);
        return b;
    }

    /** Counts what the engine writes; keeps copies only while told to (outside the measured rounds). */
    private static final class CountingDevice implements PacketDevice {
        final List<byte[]> kept = new ArrayList<>();
        boolean keep;
        long packets;

        @Override public String name() { return "braidalloc0"; }

        @Override public int mtu() { return 1500; }

        @Override public int read(ByteBuffer[] packets) { return -1; }

        @Override
        public void write(ByteBuffer[] batch, int count) {
            packets += count;
            if (!keep) return;
            for (int i = 0; i < count; i++) {
                byte[] copy = new byte[batch[i].remaining()];
                batch[i].duplicate().get(copy);
                kept.add(copy);
            }
        }

        @Override public void close() { }
    }

    private static final class CountingDialer implements UpstreamDialer {
        CountingTcp tcp;
        long udpDatagrams;

        @Override
        public TcpUpstream dialTcp(FlowKey key, TcpUpstream.Events events) {
            tcp = new CountingTcp(events);
            events.connected();
            return tcp;
        }

        @Override
        public UdpUpstream dialUdp(FlowKey key, UdpUpstream.Events events) {
            events.opened();
            return new UdpUpstream() {
                @Override public void send(ByteBuffer payload) {
                    udpDatagrams++;
                    payload.position(payload.limit());
                }

                @Override public void close() { }
            };
        }
    }

    /** Takes every byte at once and reports them written when asked. */
    private static final class CountingTcp implements TcpUpstream {
        private final Events events;
        long bytes;
        private int unreported;

        CountingTcp(Events events) {
            this.events = events;
        }

        void reportWritten() {
            int n = unreported;
            unreported = 0;
            if (n > 0) events.written(n);
        }

        @Override
        public void write(ByteBuffer data) {
            bytes += data.remaining();
            unreported += data.remaining();
            data.position(data.limit());
        }

        @Override public void shutdownOutput() { }

        @Override public void reset() { }

        @Override public void pauseReading(boolean paused) { }
    }
}
