package net.braid.masque.h3;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionStats;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends HTTP/3 datagrams (RFC 9297 §2.1: quarter stream ID, then the payload) as QUIC DATAGRAM
 * frames, refusing them before quiche's send queue overflows.
 *
 * <p>Why the estimate: when quiche's datagram queue is full and the congestion window gives no room,
 * Netty's QuicChannel drops the write and still completes its promise with success. quiche's queue
 * length is not exposed, so this sender counts datagrams handed over and subtracts the packets quiche
 * reports as sent ({@link QuicChannel#collectStats()}), asked only once the estimate reaches half the
 * configured queue. Every packet is counted as draining a datagram, so ACK-only packets make the
 * estimate optimistic; the half-queue threshold absorbs that.
 */
public final class DatagramSender {
    private final QuicChannel channel;
    private final H3Connection connection;
    private final long threshold;
    private final AtomicLong outstanding = new AtomicLong();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final GenericFutureListener<Future<QuicConnectionStats>> onStats = this::statsArrived;
    private long packetsSentAtLastLook = -1; // event loop only
    final LongAdder sent = new LongAdder();
    final LongAdder refusedFull = new LongAdder();
    final LongAdder refusedOther = new LongAdder();
    final LongAdder tooLarge = new LongAdder();

    DatagramSender(QuicChannel channel, H3Connection connection, int sendQueue) {
        this.channel = channel;
        this.connection = connection;
        this.threshold = Math.max(1, sendQueue / 2);
    }

    /**
     * Sends {@code payload} (the HTTP Datagram Payload, e.g. context ID and UDP payload for
     * CONNECT-UDP) for the stream with this quarter stream ID. Takes ownership of {@code payload}:
     * it is released whatever the outcome. Callable from any thread; on the connection's event loop
     * the outcome reflects the queue estimate immediately.
     */
    public SendOutcome send(long quarterStreamId, ByteBuf payload) {
        return send(quarterStreamId, -1, payload);
    }

    /**
     * Like {@link #send(long, ByteBuf)}, with {@code contextId} written in front of {@code payload}
     * (RFC 9298 §5, RFC 9484 §6) while the frame is built, so the payload is copied once; a negative
     * {@code contextId} writes none. Context IDs above 2^60-1 are refused with IllegalArgumentException.
     */
    public SendOutcome send(long quarterStreamId, long contextId, ByteBuf payload) {
        try {
            if (!channel.isActive()) return refuse(SendOutcome.CLOSED);
            if (!connection.datagramsNegotiated()) return refuse(SendOutcome.NOT_NEGOTIATED);
            if (outstanding.get() >= threshold) {
                lookAtQuiche();
                if (outstanding.get() >= threshold) {
                    refusedFull.increment();
                    return SendOutcome.QUEUE_FULL;
                }
            }
            int contextLength = contextId < 0 ? 0 : QuarterStreamId.length(contextId);
            int length = QuarterStreamId.length(quarterStreamId) + contextLength + payload.readableBytes();
            if (length > connection.maxDatagramAtHandshake()) {
                tooLarge.increment();
                return SendOutcome.TOO_LARGE;
            }
            // Direct and contiguous: Netty would otherwise copy it into one before handing it to quiche.
            ByteBuf frame = channel.alloc().directBuffer(length, length);
            QuarterStreamId.write(frame, quarterStreamId);
            if (contextId >= 0) QuarterStreamId.write(frame, contextId); // both are QUIC varints (RFC 9000 §16)
            frame.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
            outstanding.incrementAndGet();
            sent.increment();
            // A void promise: a datagram too large for the path surfaces as exceptionCaught, counted by the router.
            channel.writeAndFlush(frame, channel.voidPromise());
            return SendOutcome.SENT;
        } finally {
            payload.release();
        }
    }

    private SendOutcome refuse(SendOutcome outcome) {
        refusedOther.increment();
        return outcome;
    }

    /** Takes the baseline packet count once the connection is up, so later looks measure from here. */
    void start() {
        lookAtQuiche();
    }

    private void lookAtQuiche() {
        if (refreshing.compareAndSet(false, true)) {
            // On the event loop the stats are collected at once and the listener runs before this returns.
            channel.collectStats().addListener(onStats);
        }
    }

    private void statsArrived(Future<QuicConnectionStats> future) {
        refreshing.set(false);
        if (!future.isSuccess()) return;
        long packetsSent = future.getNow().sent();
        if (packetsSentAtLastLook >= 0) {
            long drained = packetsSent - packetsSentAtLastLook;
            outstanding.updateAndGet(v -> Math.max(0, v - drained));
        }
        packetsSentAtLastLook = packetsSent;
    }

    /** The current estimate of datagrams waiting in quiche's send queue. */
    public long queuedEstimate() {
        return outstanding.get();
    }
}
