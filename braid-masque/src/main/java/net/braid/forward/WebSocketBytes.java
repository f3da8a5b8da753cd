package net.braid.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.util.ReferenceCountUtil;

/**
 * Makes a WebSocket (RFC 6455) look like a byte stream to {@link Relay}: bytes travel as binary
 * frames (§5.6), and an empty binary frame means "no more bytes this way" — RFC 6455 has no
 * half-close, and a Close frame (§5.5.1) would end both directions (docs/forward.md §3).
 * Pings are answered (§5.5.2); a Close is answered and closes the channel.
 */
final class WebSocketBytes extends ChannelDuplexHandler {
    /** Written by {@link Relay} to end this direction: goes out as an empty binary frame. */
    static final Object END = new Object();

    private boolean ended;
    private boolean closeSent;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (msg) {
            case BinaryWebSocketFrame f -> content(ctx, f);
            case ContinuationWebSocketFrame f -> content(ctx, f);
            case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content()));
            case PongWebSocketFrame pong -> pong.release();
            case CloseWebSocketFrame close -> {
                close.release();
                sendClose(ctx, WebSocketCloseStatus.NORMAL_CLOSURE, ctx.newPromise());
            }
            case WebSocketFrame other -> {
                other.release();
                sendClose(ctx, WebSocketCloseStatus.INVALID_MESSAGE_TYPE, ctx.newPromise());
            }
            default -> ctx.fireChannelRead(msg);
        }
    }

    private void content(ChannelHandlerContext ctx, WebSocketFrame frame) {
        ByteBuf bytes = frame.content();
        if (bytes.isReadable()) {
            ctx.fireChannelRead(bytes);
            return;
        }
        frame.release();
        if (!ended) {
            ended = true;
            ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg == END) {
            ctx.write(new BinaryWebSocketFrame(Unpooled.EMPTY_BUFFER), promise);
        } else if (msg instanceof ByteBuf bytes && !(msg instanceof WebSocketFrame)) {
            if (bytes.isReadable()) {
                ctx.write(new BinaryWebSocketFrame(bytes), promise);
            } else {
                ReferenceCountUtil.release(bytes);
                promise.setSuccess();
            }
        } else {
            ctx.write(msg, promise);
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        sendClose(ctx, WebSocketCloseStatus.NORMAL_CLOSURE, promise);
    }

    private void sendClose(ChannelHandlerContext ctx, WebSocketCloseStatus status, ChannelPromise promise) {
        // Before the upgrade there is no WebSocket to close, only the HTTP connection.
        if (closeSent || !ctx.channel().isActive() || ctx.pipeline().get(WebSocketFrameEncoder.class) == null) {
            ctx.close(promise);
            return;
        }
        closeSent = true;
        ctx.writeAndFlush(new CloseWebSocketFrame(status))
                .addListener((ChannelFutureListener) f -> ctx.close(promise));
    }
}
