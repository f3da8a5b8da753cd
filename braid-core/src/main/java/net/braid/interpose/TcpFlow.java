package net.braid.interpose;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import net.braid.interpose.tcp.TcpEndpoint;
import net.braid.interpose.tcp.TcpOutput;

/**
 * One app TCP connection joined to its upstream stream: the endpoint's outputs become upstream
 * calls, upstream events (marshalled onto the loop by the engine) become endpoint calls. Bytes
 * the endpoint's send buffer cannot take yet wait here, and reading upstream pauses meanwhile,
 * so a slow app stalls only its own flow.
 */
final class TcpFlow implements TcpOutput {
    private final InterposeEngine engine;
    final FlowKey key;
    TcpEndpoint endpoint;
    private TcpUpstream upstream;
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private boolean endPending;
    private boolean paused;
    private String upstreamState = "dialing"; // for braid show
    private boolean sentEnd;
    private boolean gotEnd;
    boolean closed;
    boolean touched;

    TcpFlow(InterposeEngine engine, FlowKey key) {
        this.engine = engine;
        this.key = key;
    }

    // ------------------------------------------------ endpoint → surroundings (loop thread)

    @Override
    public void toApp(ByteBuffer packet) {
        engine.emit(packet);
    }

    @Override
    public void connectUpstream() {
        upstream = engine.dialer().dialTcp(key, new Events());
    }

    @Override
    public void toUpstream(ByteBuffer data) {
        upstream.write(data);
    }

    @Override
    public void upstreamEndOfStream() {
        sentEnd = true;
        upstream.shutdownOutput();
    }

    @Override
    public void resetUpstream() {
        if (upstream != null) upstream.reset();
    }

    @Override
    public void appWritable() {
        drainPending(engine.now());
    }

    @Override
    public void closed() {
        closed = true;
        pending.clear();
        engine.flowClosed(this);
    }

    // ------------------------------------------------ upstream → endpoint (loop thread)

    void onData(ByteBuffer data, long now) {
        if (closed) return;
        if (pending.isEmpty()) endpoint.upstreamData(data, now);
        if (data.hasRemaining()) {
            pending.add(data);
            if (!paused) {
                paused = true;
                upstream.pauseReading(true);
            }
        }
    }

    void onEnd(long now) {
        if (closed) return;
        gotEnd = true;
        if (pending.isEmpty()) endpoint.upstreamEnd(now);
        else endPending = true;
    }

    private void drainPending(long now) {
        while (!pending.isEmpty()) {
            ByteBuffer head = pending.peek();
            endpoint.upstreamData(head, now);
            if (head.hasRemaining()) return;
            pending.poll();
        }
        if (endPending) {
            endPending = false;
            endpoint.upstreamEnd(now);
        }
        if (paused && !closed) {
            paused = false;
            upstream.pauseReading(false);
        }
    }

    FlowInfo info() {
        String up = upstreamState;
        if (up.equals("open")) up += (paused ? ",paused" : "") + (sentEnd ? ",sent-end" : "") + (gotEnd ? ",got-end" : "");
        return new FlowInfo(key, endpoint.state().name(), endpoint.bytesFromApp(), endpoint.bytesToApp(),
                endpoint.retransmissions(), up);
    }

    /** Hands upstream events to the loop; each runs there against the endpoint. */
    private final class Events implements TcpUpstream.Events {
        @Override public void connected() {
            engine.submit(TcpFlow.this, now -> {
                upstreamState = "open";
                endpoint.upstreamConnected(now);
            });
        }

        @Override public void refused(String reason) {
            engine.submit(TcpFlow.this, now -> {
                upstreamState = "refused";
                endpoint.upstreamRefused(now);
            });
        }

        @Override public void data(ByteBuffer data) { engine.submit(TcpFlow.this, now -> onData(data, now)); }

        @Override public void end() { engine.submit(TcpFlow.this, TcpFlow.this::onEnd); }

        @Override public void reset() {
            engine.submit(TcpFlow.this, now -> {
                upstreamState = "reset";
                endpoint.upstreamReset(now);
            });
        }

        @Override public void written(int n) { engine.submit(TcpFlow.this, now -> endpoint.upstreamConsumed(n, now)); }
    }
}
