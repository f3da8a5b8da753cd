package net.braid.masque.h3;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http3.Http3SettingsFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits on the peer's inbound control stream and hands its SETTINGS frame to the connection; every
 * control frame ends here (Netty already acted on GOAWAY and MAX_PUSH_ID before passing them on).
 */
final class SettingsWatcher extends ChannelInboundHandlerAdapter {
    private final H3Connection connection;

    SettingsWatcher(H3Connection connection) {
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http3SettingsFrame settings) {
                connection.peerSettingsArrived(PeerSettings.of(settings.settings()));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }
}
