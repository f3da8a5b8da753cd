package net.braid.masque.h3;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * One HTTP/3 connection, client or server side: the peer's SETTINGS, request streams, and the
 * HTTP Datagrams that travel beside them.
 *
 * <p>Order of use (RFC 9220 §3, RFC 9297 §2.1.1): wait for {@link #peerSettings()} before sending an
 * extended CONNECT or any datagram; {@link #openStream} waits by itself, and {@link DatagramSender}
 * refuses with {@link SendOutcome#NOT_NEGOTIATED} until both SETTINGS_H3_DATAGRAM and QUIC DATAGRAM
 * support (RFC 9221 transport parameter) are known.
 */
public final class H3Connection implements MasqueConnection {
    private static final int H3_NO_ERROR = 0x100; // RFC 9114 §8.1
    private final H3Options options;
    private final DatagramRouter router = new DatagramRouter(this);
    private final CompletableFuture<PeerSettings> peerSettings = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile int peerMaxDatagram = -1;
    private volatile QuicChannel channel;
    private volatile QuicConnectionCloseEvent peerClose;
    private volatile DatagramSender sender;

    H3Connection(H3Options options) {
        this.options = options;
    }

    /** Binds this connection to its QuicChannel; called from the channel's initializer. */
    void attach(QuicChannel channel) {
        this.channel = channel;
        this.sender = new DatagramSender(channel, this, options.datagramSendQueue());
        channel.closeFuture().addListener(f -> {
            QuicConnectionCloseEvent byPeer = peerClose;
            peerSettings.completeExceptionally(new H3Exception("connection to " + channel.remoteSocketAddress()
                    + (byPeer == null ? " closed" : " closed by the peer with " + PeerClose.describe(byPeer))
                    + " before the peer's SETTINGS arrived"));
            closed.complete(null);
        });
    }

    /** The CONNECTION_CLOSE the peer sent (a TLS alert, for one), kept to explain the close. */
    void peerClosed(QuicConnectionCloseEvent event) {
        peerClose = event;
    }

    DatagramRouter router() {
        return router;
    }

    void peerSettingsArrived(PeerSettings settings) {
        sender.start(); // no datagram can be sent before this, so the queue estimate starts here
        peerSettings.complete(settings);
    }

    void peerAcceptsDatagrams(int maxLength) {
        peerMaxDatagram = maxLength;
    }

    /** Completes when the peer's SETTINGS frame arrived; fails if the connection closes first. */
    @Override
    public CompletableFuture<PeerSettings> peerSettings() {
        return peerSettings;
    }

    /**
     * True once both ends may send HTTP Datagrams (SETTINGS_H3_DATAGRAM=1 and QUIC DATAGRAM support);
     * never when this end was configured without QUIC datagrams ({@link H3Options#quicDatagrams()}).
     */
    @Override
    public boolean datagramsNegotiated() {
        PeerSettings settings = peerSettings.getNow(null);
        return options.quicDatagrams() && settings != null && settings.h3Datagram() && peerMaxDatagram > 0;
    }

    /**
     * The largest QUIC DATAGRAM frame payload quiche reported writable when the handshake finished
     * (quarter stream ID included), or -1 if the peer does not accept datagrams.
     */
    public int maxDatagramAtHandshake() {
        return peerMaxDatagram;
    }

    public DatagramSender datagrams() {
        return sender;
    }

    public DatagramCounters counters() {
        DatagramSender s = sender;
        return new DatagramCounters(s.sent.sum(), s.refusedFull.sum(), s.refusedOther.sum(), s.tooLarge.sum(),
                router.received.sum(), router.droppedNoStream.sum(), router.droppedMalformed.sum());
    }

    /**
     * Client side: opens a request stream once the peer's SETTINGS are in and sends {@code request}
     * as its HEADERS, leaving the stream open. An extended CONNECT (one with :protocol) fails with
     * {@link H3Exception} if the peer did not enable it. The response arrives at {@link H3Stream#response()}.
     */
    @Override
    public CompletableFuture<H3Stream> openStream(Http3Headers request, StreamListener listener) {
        return peerSettings.thenCompose(settings -> {
            if (request.protocol() != null && !settings.extendedConnect()) {
                return CompletableFuture.failedFuture(new H3Exception("peer " + remoteAddress()
                        + " did not send SETTINGS_ENABLE_CONNECT_PROTOCOL=1; extended CONNECT for :protocol "
                        + request.protocol() + " is not allowed (RFC 9220 §3)"));
            }
            var frames = StreamFrames.forClient(this, listener == null ? StreamListener.NONE : listener);
            var opened = new CompletableFuture<H3Stream>();
            Http3.newRequestStream(channel, frames).addListener(created -> {
                if (!created.isSuccess()) {
                    opened.completeExceptionally(new H3Exception("cannot open a request stream to " + remoteAddress(),
                            created.cause()));
                    return;
                }
                H3Stream stream = frames.stream();
                ChannelFuture headers = ((QuicStreamChannel) created.getNow()).writeAndFlush(new DefaultHttp3HeadersFrame(request));
                headers.addListener(written -> {
                    if (written.isSuccess()) opened.complete(stream);
                    else opened.completeExceptionally(new H3Exception("cannot send request HEADERS on " + stream, written.cause()));
                });
            });
            return opened;
        });
    }

    public QuicChannel quic() {
        return channel;
    }

    @Override
    public SocketAddress remoteAddress() {
        QuicChannel c = channel;
        return c == null ? null : c.remoteSocketAddress();
    }

    @Override
    public boolean isOpen() {
        QuicChannel c = channel;
        return c != null && c.isOpen();
    }

    /** Closes the connection (QUIC CONNECTION_CLOSE with H3_NO_ERROR). */
    @Override
    public CompletableFuture<Void> close() {
        QuicChannel c = channel;
        if (c != null) c.close(true, H3_NO_ERROR, Unpooled.EMPTY_BUFFER);
        return closed;
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }
}
