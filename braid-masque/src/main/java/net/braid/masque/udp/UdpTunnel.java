package net.braid.masque.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import net.braid.masque.codec.MalformedCapsuleException;
import net.braid.masque.h3.MasqueStream;
import net.braid.masque.h3.SendOutcome;
import net.braid.masque.h3.StreamListener;

/**
 * The client's end of one CONNECT-UDP session (RFC 9298): UDP payloads to and from one target,
 * as QUIC DATAGRAM frames when the connection negotiated them, else as DATAGRAM capsules on the
 * request stream (RFC 9297 §3.5). Like UDP, a full queue drops and counts.
 *
 * <p>Received payloads go to the {@link Receiver} given at open time, on the connection's event
 * loop, or, without one, into a bounded queue read by {@link #receive}.
 */
public final class UdpTunnel implements AutoCloseable {
    /** Receives payloads on the connection's event loop; the buffer is valid only during the call. */
    @FunctionalInterface
    public interface Receiver {
        void onPayload(ByteBuffer payload);
    }

    static final int RECEIVE_QUEUE = 1024;
    private static final byte[] END = new byte[0];

    private final MasqueStream stream;
    private final String target;
    private final Receiver receiver;
    private final ArrayBlockingQueue<byte[]> queue;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final LongAdder sendRefused = new LongAdder();
    private final LongAdder receiveDropped = new LongAdder();
    private final LongAdder unknownContext = new LongAdder();
    private volatile String endReason;

    private UdpTunnel(MasqueStream stream, String target, Receiver receiver) {
        this.stream = stream;
        this.target = target;
        this.receiver = receiver;
        this.queue = receiver == null ? new ArrayBlockingQueue<>(RECEIVE_QUEUE + 1) : null;
    }

    /** The listener to open the request stream with; {@link #bind} then ties it to its tunnel. */
    static Listener listener(String target, Receiver receiver) {
        return new Listener(target, receiver);
    }

    /** Sees the stream from before its response; a tunnel exists only once the proxy said 200. */
    static final class Listener implements StreamListener, UdpFraming.Payloads {
        private final String target;
        private final Receiver receiver;
        private volatile UdpTunnel tunnel;
        private UdpFraming framing;

        private Listener(String target, Receiver receiver) {
            this.target = target;
            this.receiver = receiver;
        }

        UdpTunnel bind(MasqueStream stream) {
            tunnel = new UdpTunnel(stream, target, receiver);
            return tunnel;
        }

        @Override
        public void onDatagram(MasqueStream stream, ByteBuf payload) {
            UdpTunnel t = tunnel;
            if (t != null) framing(stream).onQuicDatagram(payload);
        }

        @Override
        public void onData(MasqueStream stream, ByteBuf data) {
            UdpTunnel t = tunnel;
            if (t == null) return;
            try {
                framing(stream).onStreamData(data);
            } catch (MalformedCapsuleException e) {
                t.end("malformed capsule from the proxy: " + e.getMessage());
                stream.abort(e.error().h3ErrorCode());
            }
        }

        private UdpFraming framing(MasqueStream stream) {
            if (framing == null) framing = new UdpFraming(this, stream.alloc());
            return framing;
        }

        @Override
        public void onPayload(ByteBuf payload) {
            tunnel.deliver(payload);
        }

        @Override
        public void onUnknownContext() {
            tunnel.unknownContext.increment();
        }

        @Override
        public void onInputClosed(MasqueStream stream) {
            UdpTunnel t = tunnel;
            if (t != null) t.end("the proxy ended the session");
            stream.finish();
        }

        @Override
        public void onReset(MasqueStream stream, long errorCode) {
            UdpTunnel t = tunnel;
            if (t != null) t.end("the proxy reset the session (error 0x" + Long.toHexString(errorCode) + ")");
            stream.close();
        }

        @Override
        public void onClosed(MasqueStream stream) {
            UdpTunnel t = tunnel;
            if (t != null) t.end("the stream closed");
        }
    }

    private void deliver(ByteBuf payload) {
        if (receiver != null) {
            receiver.onPayload(payload.nioBuffer());
            return;
        }
        byte[] copy = new byte[payload.readableBytes()];
        payload.readBytes(copy);
        // One slot stays free for the END marker.
        if (queue.size() >= RECEIVE_QUEUE || !queue.offer(copy)) receiveDropped.increment();
    }

    private void end(String reason) {
        if (endReason != null) return;
        endReason = reason;
        if (queue != null) queue.offer(END);
        closed.complete(null);
    }

    /**
     * Sends one UDP payload (the buffer's remaining bytes; its position does not move). Callable
     * from any thread; returns at once. {@link SendOutcome#QUEUE_FULL} and the other refusals mean
     * the payload was dropped.
     */
    public SendOutcome send(ByteBuffer payload) {
        if (endReason != null) {
            sendRefused.increment();
            return SendOutcome.CLOSED;
        }
        SendOutcome outcome;
        if (stream.datagramsNegotiated()) {
            // The sender copies the payload into its frame before returning, so a view suffices.
            outcome = stream.sendDatagram(0, Unpooled.wrappedBuffer(payload.duplicate()));
        } else if (!stream.isWritable()) {
            outcome = SendOutcome.QUEUE_FULL;
        } else {
            stream.write(UdpFraming.capsule(stream.alloc(), payload.duplicate()));
            outcome = SendOutcome.SENT;
        }
        if (outcome != SendOutcome.SENT) sendRefused.increment();
        return outcome;
    }

    /**
     * The next received payload, waiting up to {@code timeout}; null when none came in time.
     *
     * @throws IOException once the session has ended and every received payload was read
     * @throws IllegalStateException when the tunnel was opened with a {@link Receiver}
     */
    public byte[] receive(Duration timeout) throws IOException, InterruptedException {
        if (queue == null) throw new IllegalStateException("payloads go to the Receiver given at open time");
        byte[] next = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (next == END) {
            queue.offer(END); // later calls see the end too
            throw new IOException("UDP tunnel to " + target + " ended: " + endReason);
        }
        return next;
    }

    /** True when payloads travel in QUIC DATAGRAM frames, false when in DATAGRAM capsules. */
    public boolean usesQuicDatagrams() {
        return stream.datagramsNegotiated();
    }

    public String target() {
        return target;
    }

    /** Payloads {@link #send} refused (queue full, too large, closed). */
    public long sendRefused() {
        return sendRefused.sum();
    }

    /** Payloads dropped because the receive queue was full. */
    public long receiveDropped() {
        return receiveDropped.sum();
    }

    /** HTTP Datagrams dropped for a context ID other than 0 (RFC 9298 §4). */
    public long unknownContext() {
        return unknownContext.sum();
    }

    public MasqueStream stream() {
        return stream;
    }

    /** Completes when the session ends, from either side. */
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    /** Ends the session: FIN on the request stream, which makes the proxy close its socket. */
    @Override
    public void close() {
        end("closed by this client");
        stream.finish();
    }
}
