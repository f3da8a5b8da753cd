package net.braid.interpose;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import net.braid.packet.AddressPair;
import net.braid.packet.UdpDatagram;
import net.braid.packet.UdpHeader;

/**
 * One app datagram flow (5-tuple) joined to its upstream datagram flow. Datagrams sent while the
 * upstream is still opening wait in a short queue; beyond it they are dropped, as a network would.
 */
final class UdpFlow {
    private static final int TTL = 64;
    private final InterposeEngine engine;
    final FlowKey key;
    private final AddressPair toApp;
    private final int queueLimit;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private UdpUpstream upstream;
    private boolean opened;
    boolean closed;
    long lastActivity;
    long datagramsFromApp;
    long datagramsToApp;
    long bytesFromApp;
    long bytesToApp;
    long drops;

    UdpFlow(InterposeEngine engine, FlowKey key, int queueLimit, long now) {
        this.engine = engine;
        this.key = key;
        this.toApp = key.replyAddresses();
        this.queueLimit = queueLimit;
        this.lastActivity = now;
    }

    void open() {
        upstream = engine.dialer().dialUdp(key, new Events());
    }

    /** A datagram from the app: the payload between position and limit. */
    void fromApp(ByteBuffer payload, long now) {
        lastActivity = now;
        datagramsFromApp++;
        bytesFromApp += payload.remaining();
        if (opened) {
            upstream.send(payload);
        } else if (queue.size() < queueLimit) {
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload.duplicate()).flip();
            queue.add(copy);
        } else {
            drops++;
        }
    }

    private void onOpened() {
        opened = true;
        ByteBuffer b;
        while ((b = queue.poll()) != null) upstream.send(b);
    }

    private void toApp(ByteBuffer payload, long now) {
        lastActivity = now;
        ByteBuffer out = engine.packetBuffer();
        if (toApp.headerLength() + UdpHeader.LENGTH + payload.remaining() > out.capacity()) {
            drops++; // larger than the device MTU; a real path would fragment or drop it
            return;
        }
        int n = UdpDatagram.write(out, 0, toApp, TTL, key.dstPort(), key.srcPort(), payload);
        datagramsToApp++;
        bytesToApp += payload.remaining();
        engine.emitInPlace(n);
    }

    void close() {
        if (closed) return;
        closed = true;
        queue.clear();
        if (upstream != null) upstream.close();
        engine.flowClosed(this);
    }

    FlowInfo info() {
        return new FlowInfo(key, opened ? "OPEN" : "OPENING", bytesFromApp, bytesToApp, 0, opened ? "open" : "dialing");
    }

    private final class Events implements UdpUpstream.Events {
        @Override public void opened() { engine.submit(UdpFlow.this, now -> onOpened()); }

        @Override public void failed(String reason) { engine.submit(UdpFlow.this, now -> close()); }

        @Override public void datagram(ByteBuffer payload) { engine.submit(UdpFlow.this, now -> toApp(payload, now)); }

        @Override public void closed() { engine.submit(UdpFlow.this, now -> close()); }
    }
}
