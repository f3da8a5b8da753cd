package net.braid.interpose.tcp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.braid.packet.MalformedPacketException;
import net.braid.packet.TcpSegment;

/** A {@link TcpOutput} that keeps everything: parsed segments toward the app, upstream bytes and events. */
final class RecordingOutput implements TcpOutput {
    final List<TcpSegment> toApp = new ArrayList<>();
    final List<byte[]> rawToApp = new ArrayList<>();
    final ByteArrayOutputStream upstream = new ByteArrayOutputStream();
    int connects;
    int upstreamEnds;
    int upstreamResets;
    int writable;
    int closed;

    @Override
    public void toApp(ByteBuffer packet) {
        byte[] raw = new byte[packet.remaining()];
        packet.get(packet.position(), raw);
        rawToApp.add(raw);
        try {
            toApp.add(TcpSegment.parse(ByteBuffer.wrap(raw), 0, raw.length));
        } catch (MalformedPacketException e) {
            throw new AssertionError("endpoint wrote a malformed packet", e);
        }
    }

    @Override public void connectUpstream() { connects++; }

    @Override
    public void toUpstream(ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        upstream.writeBytes(b);
    }

    @Override public void upstreamEndOfStream() { upstreamEnds++; }

    @Override public void resetUpstream() { upstreamResets++; }

    @Override public void appWritable() { writable++; }

    @Override public void closed() { closed++; }

    /** Segments sent since the last call. */
    List<TcpSegment> take() {
        var out = List.copyOf(toApp);
        toApp.clear();
        rawToApp.clear();
        return out;
    }
}
