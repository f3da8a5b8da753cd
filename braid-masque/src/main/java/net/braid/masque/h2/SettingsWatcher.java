package net.braid.masque.h2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Last in a connection's pipeline, behind the multiplexer: hands the peer's SETTINGS to the
 * connection; every other connection-level frame ends here (Netty already acted on PING, GOAWAY
 * and SETTINGS values), and so do errors, which close the connection.
 */
final class SettingsWatcher extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = System.getLogger(SettingsWatcher.class.getName());
    private final H2Connection connection;

    SettingsWatcher(H2Connection connection) {
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http2SettingsFrame settings) connection.peerSettingsArrived(settings.settings());
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, "closing " + connection + ": " + cause);
        ctx.close();
    }
}
