package net.braid.masque.h3;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Opens connections to MASQUE proxies: {@link H3Client} over QUIC, {@code net.braid.masque.h2.H2Client}
 * over TLS/TCP for networks that block UDP. Closing it ends its event loop and every connection on it.
 */
public interface MasqueConnector extends AutoCloseable {

    /**
     * Connects to {@code server}, presenting {@code serverName} as SNI (and checking it under CA
     * trust). Completes once the transport and TLS are up; the peer's SETTINGS follow at
     * {@link MasqueConnection#peerSettings()}.
     */
    CompletableFuture<? extends MasqueConnection> connect(InetSocketAddress server, String serverName);

    @Override
    void close();
}
