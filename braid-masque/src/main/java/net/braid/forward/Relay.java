package net.braid.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;

/**
 * Copies bytes between two channels, one {@code Relay} at the end of each pipeline.
 *
 * <ul>
 *   <li>Back-pressure: after a write leaves the peer unwritable (above its high water mark), this
 *       side stops reading; the peer's writability event turns reading on again. Memory per
 *       connection is thus bounded by the water marks, however fast one sender is.</li>
 *   <li>Channels on different event loops (a QUIC stream lives on its connection's loop, the TCP
 *       connection it carries may not): a write from here only queues a task there, so the peer's
 *       writability seen from here lags and a pause could miss its wake-up. Such a reader pauses
 *       after every read batch instead, and the peer's loop wakes it once it has taken the batch
 *       and is writable (or later, by its writability event).</li>
 *   <li>Half-close: end of input here (TCP FIN, QUIC stream FIN, the WebSocket end marker)
 *       becomes end of output there ({@link #shutdownOutput}); a channel closes once both its
 *       directions are done, and a channel that closes takes its peer with it.</li>
 *   <li>Until {@link #join} names the peer, what arrives is held (reading stops at the first
 *       message), so bytes sent before the other end was ready are not lost.</li>
 *   <li>Flush consolidation: a QUIC stream completes a read for every UDP datagram, so flushing
 *       there would cost one TCP send per 1.2–1.4 kB. When both channels share an event loop the
 *       flush is deferred to a task, which runs after the loop has handled all ready I/O (a whole
 *       batch of datagrams), and all reads since go out in one writev.</li>
 * </ul>
 */
final class Relay extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = System.getLogger(Relay.class.getName());
    /** Stands for "end of input" among the held messages. */
    private static final Object END = new Object();

    private final ArrayDeque<Object> held = new ArrayDeque<>(2);
    private ChannelHandlerContext ctx;
    private Channel peer;
    private boolean inputDone;
    private boolean outputDone;
    private boolean flushPending;
    private boolean failed;
    private final Runnable flushPeer = this::flushPeer;
    private final Runnable handOver = this::handOver;
    private final Runnable readAgain = this::readAgain;

    /** Joins two channels whose pipelines end with a Relay; safe from any thread. */
    static void join(Channel a, Channel b) {
        connect(a, b);
        connect(b, a);
    }

    private static void connect(Channel self, Channel peer) {
        Relay relay = self.pipeline().get(Relay.class);
        if (relay == null) {
            peer.close();
            return;
        }
        self.eventLoop().execute(() -> relay.connect(peer));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    private void connect(Channel peer) {
        if (!ctx.channel().isActive()) {
            releaseHeld();
            peer.close();
            return;
        }
        this.peer = peer;
        for (Object m; (m = held.poll()) != null; ) {
            if (m == END) endOfInput();
            else peer.write(m, peer.voidPromise());
        }
        peer.flush();
        if (!inputDone) ctx.channel().config().setAutoRead(true);
        if (!peer.isActive()) ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (peer == null) {
            held.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        peer.write(msg, peer.voidPromise());
        if (sameLoop() && !peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
            // The peer may have drained between the check and the switch; its event would then be lost.
            if (peer.isWritable()) ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Channel p = peer;
        if (p == null) return;
        if (!sameLoop()) {
            ctx.channel().config().setAutoRead(false);
            p.eventLoop().execute(handOver);
        } else if (!flushPending) {
            flushPending = true;
            ctx.channel().eventLoop().execute(flushPeer);
        }
    }

    private boolean sameLoop() {
        return peer.eventLoop() == ctx.channel().eventLoop();
    }

    /** On the peer's loop, after the batch's writes: send them, and read on if there is room. */
    private void handOver() {
        peer.flush();
        if (peer.isWritable()) wake();
    }

    /** From the peer's loop, which has just seen it writable: read again. */
    private void wake() {
        ctx.channel().eventLoop().execute(readAgain);
    }

    private void readAgain() {
        if (!inputDone && peer != null) ctx.channel().config().setAutoRead(true);
    }

    private void flushPeer() {
        flushPending = false;
        peer.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Channel reader = peer;
        if (reader != null && ctx.channel().isWritable()) {
            Relay relay = reader.pipeline().get(Relay.class);
            if (relay != null && reader.eventLoop() == ctx.channel().eventLoop()) reader.eventLoop().execute(relay::resume);
            else if (relay != null) relay.wake();
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void resume() {
        if (!inputDone && peer != null && peer.isWritable()) ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            if (peer == null) held.add(END);
            else endOfInput();
        }
        ReferenceCountUtil.release(event);
    }

    private void endOfInput() {
        if (inputDone) return;
        inputDone = true;
        Channel p = peer;
        Relay relay = p.pipeline().get(Relay.class);
        if (relay != null) p.eventLoop().execute(relay::shutdownOutput);
        else p.close();
        closeIfDone();
    }

    /** Ends this channel's output after what was written before; then closes if input is done too. */
    private void shutdownOutput() {
        if (outputDone) return;
        Channel ch = ctx.channel();
        ChannelFuture shut = switch (ch) {
            // shutdownOutput() would hand quiche the FIN ahead of writes Netty still queues; a FIN frame queues behind them.
            case QuicStreamChannel stream -> stream.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.EMPTY_BUFFER, true));
            case Channel c when c.pipeline().get(WebSocketBytes.class) != null -> c.writeAndFlush(WebSocketBytes.END);
            // Netty's TCP shutdownOutput fails what is still queued, so the FIN waits for the queue to drain.
            case DuplexChannel duplex -> {
                ChannelPromise done = duplex.newPromise();
                duplex.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) duplex.shutdownOutput(done);
                    else done.setFailure(f.cause());
                });
                yield done;
            }
            default -> ch.close();
        };
        shut.addListener((ChannelFutureListener) f -> {
            outputDone = true;
            if (!f.isSuccess()) ch.close();
            else closeIfDone();
        });
    }

    private void closeIfDone() {
        if (inputDone && outputDone) ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHeld();
        Channel p = peer;
        // After a clean end (both directions done) the peer finishes on its own: closing it here
        // could cut off what it still has queued. Otherwise what was written still goes out first.
        if (p != null && p.isActive() && !(inputDone && outputDone)) p.eventLoop().execute(() -> p.writeAndFlush(Unpooled.EMPTY_BUFFER)
                .addListener(ChannelFutureListener.CLOSE));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Writes already queued to a reset socket fail one by one: one line is enough.
        if (!failed) LOG.log(Level.INFO, () -> ctx.channel() + ": closing after " + ForwardException.reason(cause));
        failed = true;
        ctx.close();
    }

    private void releaseHeld() {
        for (Object m; (m = held.poll()) != null; ) ReferenceCountUtil.release(m);
    }
}
