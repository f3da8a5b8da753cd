package net.braid.cli.interpose;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Set;
import net.braid.interpose.FlowKey;
import net.braid.interpose.TcpUpstream;
import net.braid.interpose.UdpUpstream;
import net.braid.interpose.UpstreamDialer;

/**
 * In-memory upstreams: every TCP stream echoes what it gets (end of stream included), UDP flows
 * echo datagrams; ports in {@code refused} fail to connect. Echoed bytes count as written only
 * once the engine takes them, so a paused reader closes the app's window end to end.
 */
final class EchoDialer implements UpstreamDialer {
    private final Set<Integer> refused;

    EchoDialer(Set<Integer> refused) {
        this.refused = refused;
    }

    @Override
    public TcpUpstream dialTcp(FlowKey key, TcpUpstream.Events events) {
        if (refused.contains(key.dstPort())) {
            events.refused("port " + key.dstPort() + " refused by the test");
            return new Echo(events);
        }
        events.connected();
        return new Echo(events);
    }

    @Override
    public UdpUpstream dialUdp(FlowKey key, UdpUpstream.Events events) {
        events.opened();
        return new UdpUpstream() {
            @Override
            public void send(ByteBuffer payload) {
                events.datagram(ByteBuffer.allocate(payload.remaining()).put(payload.duplicate()).flip());
            }

            @Override
            public void close() { }
        };
    }

    /** Called on the engine loop only, like every {@link TcpUpstream}. */
    private static final class Echo implements TcpUpstream {
        private final Events events;
        private final ArrayDeque<ByteBuffer> held = new ArrayDeque<>();
        private boolean paused;
        private boolean endHeld;

        Echo(Events events) {
            this.events = events;
        }

        @Override
        public void write(ByteBuffer data) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
            if (paused) {
                held.add(copy);
            } else {
                events.data(copy);
                events.written(copy.limit());
            }
        }

        @Override
        public void shutdownOutput() {
            if (paused) endHeld = true;
            else events.end();
        }

        @Override
        public void reset() {
            held.clear();
        }

        @Override
        public void pauseReading(boolean paused) {
            this.paused = paused;
            while (!this.paused && !held.isEmpty()) {
                ByteBuffer b = held.poll();
                events.data(b);
                events.written(b.limit());
            }
            if (!paused && endHeld) {
                endHeld = false;
                events.end();
            }
        }
    }
}
