package net.braid.masque.h2;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http3.Http3Headers;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import net.braid.masque.h3.MasqueConnection;
import net.braid.masque.h3.PeerSettings;
import net.braid.masque.h3.StreamListener;

/**
 * One HTTP/2 connection over TLS/TCP, client or server side: the peer's SETTINGS and the request
 * streams. Like {@link net.braid.masque.h3.H3Connection}, {@link #openStream} holds an extended
 * CONNECT back until the peer's SETTINGS arrived, and refuses it when they lack
 * SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 8441 §3: "a client MUST NOT send :protocol" otherwise).
 */
public final class H2Connection implements MasqueConnection {
    private static final Logger LOG = System.getLogger(H2Connection.class.getName());

    private final Channel channel;
    private final CompletableFuture<PeerSettings> peerSettings = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    H2Connection(Channel channel) {
        this.channel = channel;
        channel.closeFuture().addListener(f -> {
            peerSettings.completeExceptionally(new H2Exception("connection to " + channel.remoteAddress()
                    + " closed before the peer's SETTINGS arrived"));
            closed.complete(null);
        });
    }

    /** The peer's SETTINGS frame (RFC 9113 §6.5); the first one is the one MASQUE waits for. Event loop. */
    void peerSettingsArrived(Http2Settings settings) {
        if (peerSettings.isDone()) return;
        raiseConnectionWindow();
        Long maxHeaderList = settings.maxHeaderListSize();
        peerSettings.complete(new PeerSettings(Boolean.TRUE.equals(settings.connectProtocolEnabled()), false,
                maxHeaderList == null ? -1 : maxHeaderList));
    }

    /**
     * SETTINGS cannot raise the connection's receive window (RFC 9113 §6.9.2), only WINDOW_UPDATE on
     * stream 0 can; sent once the preface is surely out, i.e. after the peer's first SETTINGS.
     */
    private void raiseConnectionWindow() {
        Http2FrameCodec codec = channel.pipeline().get(Http2FrameCodec.class);
        if (codec == null) return;
        Http2Connection c = codec.connection();
        try {
            c.local().flowController().incrementWindowSize(c.connectionStream(), H2Transport.connectionWindowIncrement());
            channel.flush();
        } catch (Http2Exception e) {
            LOG.log(Level.DEBUG, "cannot raise the connection window of " + channel, e);
        }
    }

    @Override
    public CompletableFuture<PeerSettings> peerSettings() {
        return peerSettings;
    }

    @Override
    public CompletableFuture<H2Stream> openStream(Http3Headers request, StreamListener listener) {
        return peerSettings.thenCompose(settings -> {
            if (request.protocol() != null && !settings.extendedConnect()) {
                return CompletableFuture.failedFuture(new H2Exception("peer " + remoteAddress()
                        + " did not send SETTINGS_ENABLE_CONNECT_PROTOCOL=1; extended CONNECT for :protocol "
                        + request.protocol() + " is not allowed (RFC 8441 §3)"));
            }
            var frames = H2StreamFrames.forClient(this, listener == null ? StreamListener.NONE : listener);
            var opened = new CompletableFuture<H2Stream>();
            new Http2StreamChannelBootstrap(channel).handler(frames).open().addListener(created -> {
                if (!created.isSuccess()) {
                    opened.completeExceptionally(new H2Exception("cannot open a stream to " + remoteAddress(), created.cause()));
                    return;
                }
                H2Stream stream = frames.stream();
                ((Http2StreamChannel) created.getNow())
                        .writeAndFlush(new DefaultHttp2HeadersFrame(FieldSections.toHttp2(request)))
                        .addListener(written -> {
                            if (written.isSuccess()) opened.complete(stream);
                            else opened.completeExceptionally(new H2Exception("cannot send request HEADERS on " + stream,
                                    written.cause()));
                        });
            });
            return opened;
        });
    }

    /** Never: HTTP/2 carries HTTP Datagrams only as capsules on the stream (RFC 9297 §3.5). */
    @Override
    public boolean datagramsNegotiated() {
        return false;
    }

    @Override
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    /** The TLS/TCP channel beneath. */
    public Channel channel() {
        return channel;
    }

    /** Closes the connection: GOAWAY, then the socket (Netty's codec sends the GOAWAY). */
    @Override
    public CompletableFuture<Void> close() {
        channel.close();
        return closed;
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    @Override
    public String toString() {
        return "H2Connection[" + channel.remoteAddress() + "]";
    }
}
