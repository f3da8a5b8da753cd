package net.braid.masque.h2;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything one HTTP/2 stream sends, from any thread, in call order: frames wait in one queue and a
 * single task on the event loop writes all that wait, then flushes once.
 *
 * <p>Why: a writeAndFlush per packet from the TUN reader cost one event-loop wake-up, one TLS
 * record and one write(2) per IP packet; a burst now costs one of each. And how much a stream may
 * hold is {@link H2Transport#STREAM_SEND_BUFFER} here plus in the stream channel (its high water
 * mark), not Netty's 64 KiB default, which refused a TUN read batch of 46 full-size packets.
 */
final class FrameQueue {
    /** Frames written per task before the event loop gets to its sockets again. */
    private static final int BATCH = 256;
    private static final Object CLOSE = new Object();

    private record Pending(Object frame, ChannelPromise promise, int bytes) {}

    private final Http2StreamChannel channel;
    private final Queue<Pending> queue = PlatformDependent.newMpscQueue();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Runnable drain = this::drain;

    FrameQueue(Http2StreamChannel channel) {
        this.channel = channel;
    }

    /** Queues a frame; takes ownership of it. The future completes once the frame was written to the connection. */
    ChannelFuture write(Object frame) {
        int bytes = frame instanceof Http2DataFrame data ? data.content().readableBytes() : 0;
        ChannelPromise promise = channel.newPromise();
        queuedBytes.addAndGet(bytes);
        queue.add(new Pending(frame, promise, bytes));
        schedule();
        return promise;
    }

    /** Closes the stream channel after every frame queued before. */
    ChannelFuture close() {
        ChannelPromise promise = channel.newPromise();
        queue.add(new Pending(CLOSE, promise, 0));
        schedule();
        return promise;
    }

    /**
     * Whether DATA queued here and in the stream channel (written, not yet on the socket: held back
     * by flow control or a full connection) stays below the channel's high water mark.
     */
    boolean isWritable() {
        return queuedBytes.get() < channel.bytesBeforeUnwritable();
    }

    private void schedule() {
        // Added before the flag is looked at, and the drain clears the flag before it polls: no frame is left behind.
        if (!scheduled.compareAndSet(false, true)) return;
        try {
            channel.eventLoop().execute(drain);
        } catch (RejectedExecutionException e) {
            discard(e);
        }
    }

    private void drain() {
        scheduled.set(false);
        boolean unflushed = false;
        int n = 0;
        for (Pending p; n < BATCH && (p = queue.poll()) != null; n++) {
            if (p.frame() == CLOSE) {
                if (unflushed) channel.flush();
                unflushed = false;
                channel.close(p.promise());
                continue;
            }
            channel.write(p.frame(), p.promise());
            queuedBytes.addAndGet(-p.bytes());
            unflushed = true;
        }
        if (unflushed) channel.flush();
        if (!queue.isEmpty()) schedule();
    }

    /** The event loop is gone: nothing queued will be written. */
    private void discard(Throwable cause) {
        scheduled.set(false);
        for (Pending p; (p = queue.poll()) != null; ) {
            if (p.frame() != CLOSE) ReferenceCountUtil.release(p.frame());
            queuedBytes.addAndGet(-p.bytes());
            p.promise().tryFailure(cause);
        }
    }
}
