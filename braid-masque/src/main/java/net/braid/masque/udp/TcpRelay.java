package net.braid.masque.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import java.util.ArrayDeque;
import net.braid.masque.h3.MasqueStream;
import net.braid.masque.h3.StreamListener;

/**
 * The proxy's half of one CONNECT tunnel (RFC 9114 §4.4): stream DATA to the TCP socket and back,
 * FIN for FIN (half-close), and a TCP error or reset becomes a stream reset with H3_CONNECT_ERROR.
 * Neither side is read faster than the other drains: the socket stops reading while too many
 * bytes wait for the stream, and the stream stops while the socket's outbound buffer is full.
 */
final class TcpRelay extends ChannelInboundHandlerAdapter implements StreamListener {
    /** H3_CONNECT_ERROR (RFC 9114 §8.1): the TCP connection of a CONNECT was reset or failed. */
    static final long H3_CONNECT_ERROR = 0x10f;
    private static final int HIGH_WATER = 256 * 1024;
    private static final int LOW_WATER = 64 * 1024;

    private final MasqueStream stream;
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    private Channel socket; // event loop only, like every field below
    private boolean streamInputEnded;
    private boolean socketInputEnded;
    private boolean socketOutputShut;
    private boolean streamFinished;
    private boolean ended;
    private long bytesToStream;

    TcpRelay(MasqueStream stream) {
        this.stream = stream;
    }

    /** The TCP connection is up; the 200 goes out next. Returns false if the stream went away meanwhile. */
    boolean attach(Channel socket) {
        if (ended) {
            socket.close();
            return false;
        }
        this.socket = socket;
        for (ByteBuf b; (b = early.poll()) != null; ) socket.write(b, socket.voidPromise());
        socket.flush();
        if (streamInputEnded) shutdownSocketOutput();
        socket.config().setAutoRead(true);
        return true;
    }

    void refused() {
        ended = true;
        releaseEarly();
    }

    // Stream → socket.

    @Override
    public void onData(MasqueStream s, ByteBuf data) {
        if (ended) return;
        if (socket == null) {
            early.add(data.retain());
            return;
        }
        socket.writeAndFlush(data.retain(), socket.voidPromise());
        if (!socket.isWritable()) stream.readPaused(true);
    }

    @Override
    public void onInputClosed(MasqueStream s) {
        streamInputEnded = true;
        if (socket != null && !ended) shutdownSocketOutput();
    }

    private void shutdownSocketOutput() {
        // Queued behind the data, so the FIN follows the last byte.
        socket.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            ((DuplexChannel) socket).shutdownOutput();
            socketOutputShut = true;
            closeIfBothEnded();
        });
    }

    @Override
    public void onReset(MasqueStream s, long errorCode) {
        end();
        stream.close();
    }

    @Override
    public void onClosed(MasqueStream s) {
        end();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) stream.readPaused(false);
        ctx.fireChannelWritabilityChanged();
    }

    // Socket → stream.

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        if (ended) {
            data.release();
            return;
        }
        int n = data.readableBytes();
        bytesToStream += n;
        ChannelFuture written = stream.write(data);
        written.addListener(f -> {
            bytesToStream -= n;
            if (!f.isSuccess()) {
                end();
            } else if (bytesToStream <= LOW_WATER && !socket.config().isAutoRead() && !ended && !socketInputEnded) {
                // After the target's FIN, epoll has dropped the socket: turning reading back on
                // would fail (epoll_ctl ENOENT) and reset a stream that is ending normally.
                socket.config().setAutoRead(true);
            }
        });
        if (bytesToStream >= HIGH_WATER) socket.config().setAutoRead(false);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && !socketInputEnded) {
            socketInputEnded = true;
            stream.finish().addListener(f -> {
                streamFinished = true;
                closeIfBothEnded();
            });
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        abort();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // Closed without both FINs exchanged: the target reset or failed, which the client must learn.
        if (!(socketInputEnded && streamInputEnded)) abort();
    }

    private void abort() {
        if (ended) return;
        end();
        stream.abort(H3_CONNECT_ERROR);
    }

    private void closeIfBothEnded() {
        // Both FINs delivered: nothing is left in flight either way.
        if (streamFinished && socketOutputShut) end();
    }

    private void end() {
        ended = true;
        releaseEarly();
        if (socket != null) socket.close();
    }

    private void releaseEarly() {
        for (ByteBuf b; (b = early.poll()) != null; ) b.release();
    }
}
