package net.braid.forward;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.quic.QuicStreamChannel;

/**
 * First in a forwarding QUIC stream's pipeline: a close before the peer's FIN first stops the
 * input (STOP_SENDING, RFC 9000 §3.5). Netty's close only sends a FIN; without this, the bytes the
 * stream holds unread, and those the peer keeps sending up to the stream window, stay counted
 * against the connection's flow-control credit (RFC 9000 §4.1) for good. A few forwarded
 * connections that ended abruptly (a target's reset, say) used up all of it, and every stream of
 * the connection then stalled with nothing in flight until the idle timeout. quiche discards what
 * a stopped stream holds and returns the credit; the peer answers with RESET_STREAM.
 */
@ChannelHandler.Sharable
final class UnreadInputRelease extends ChannelOutboundHandlerAdapter {
    /** The application error code of braid-forward/1 for "the forwarded connection ended abruptly" (docs/forward.md §2). */
    static final int ABORTED = 0x01;
    static final UnreadInputRelease INSTANCE = new UnreadInputRelease();

    private UnreadInputRelease() {}

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (ctx.channel() instanceof QuicStreamChannel stream && stream.isActive() && !stream.isInputShutdown()) {
            stream.shutdownInput(ABORTED);
        }
        ctx.close(promise);
    }
}
