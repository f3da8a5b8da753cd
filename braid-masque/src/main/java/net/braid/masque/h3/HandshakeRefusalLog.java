package net.braid.masque.h3;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;

/**
 * Logs the TLS handshakes a server refused, with the cause (e.g. a client that sent no certificate
 * where one is required): the client sees only an alert, the operator needs the reason.
 * {@link ClientCertificateJudge} adds the details of a certificate it refused.
 */
public final class HandshakeRefusalLog {
    private static final Logger LOG = System.getLogger(HandshakeRefusalLog.class.getName());

    private HandshakeRefusalLog() {}

    /** For a QUIC connection's pipeline: QUIC reports its handshake as an event on the connection. */
    public static ChannelHandler forQuic() {
        return QuicWatcher.INSTANCE;
    }

    /** Wraps a TLS/TCP server context so each handler it makes logs its failed handshake. */
    public static SslContext forTcp(SslContext context) {
        return new DelegatingSslContext(context) {
            @Override
            protected void initEngine(SSLEngine engine) {}

            @Override
            protected void initHandler(SslHandler handler) {
                handler.handshakeFuture().addListener(f -> {
                    if (!f.isSuccess()) log("TLS/TCP", null, f.cause());
                });
            }
        };
    }

    static void log(String transport, Object peer, Throwable cause) {
        var reason = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (!reason.isEmpty()) reason.append(": ");
            reason.append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        }
        LOG.log(Level.WARNING, "{0} handshake{1} refused: {2}", transport, peer == null ? "" : " from " + peer, reason);
    }

    @ChannelHandler.Sharable
    private static final class QuicWatcher extends ChannelInboundHandlerAdapter {
        static final QuicWatcher INSTANCE = new QuicWatcher();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
                Object peer = ctx.channel() instanceof QuicChannel quic ? quic.remoteSocketAddress() : ctx.channel().remoteAddress();
                log("QUIC/TLS", peer, done.cause());
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Logged above from the handshake event; the connection closes itself.
            if (cause instanceof SSLHandshakeException) ctx.close();
            else ctx.fireExceptionCaught(cause);
        }
    }
}
