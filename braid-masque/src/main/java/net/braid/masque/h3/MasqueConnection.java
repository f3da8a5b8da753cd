package net.braid.masque.h3;

import io.netty.handler.codec.http3.Http3Headers;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A client's connection to a MASQUE proxy over HTTP/3 ({@link H3Connection}) or HTTP/2
 * ({@code net.braid.masque.h2.H2Connection}), on which it opens request streams.
 */
public interface MasqueConnection {

    /** Completes when the peer's SETTINGS arrived; fails if the connection closes first. */
    CompletableFuture<PeerSettings> peerSettings();

    /**
     * Opens a request stream once the peer's SETTINGS are in and sends {@code request} as its
     * HEADERS, leaving the stream open. The fields are given as Http3Headers whichever version
     * carries them. An extended CONNECT (one with :protocol) fails (H3Exception, H2Exception) if the
     * peer did not enable it (RFC 9220 §3, RFC 8441 §3).
     */
    CompletableFuture<? extends MasqueStream> openStream(Http3Headers request, StreamListener listener);

    /** True once HTTP Datagrams may travel beside streams; never on HTTP/2. */
    boolean datagramsNegotiated();

    SocketAddress remoteAddress();

    boolean isOpen();

    /** Closes the connection and every stream on it. */
    CompletableFuture<Void> close();

    CompletableFuture<Void> closeFuture();
}
