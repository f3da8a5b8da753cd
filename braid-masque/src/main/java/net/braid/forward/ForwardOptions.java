package net.braid.forward;

import java.time.Duration;
import net.braid.masque.h3.Certificates;
import net.braid.masque.h3.ServerTrust;

/**
 * How a forward runs.
 *
 * @param token          sent by dialling ends (quic, ws, wss) and required by accepting ends; null for none
 * @param trust          how a dialling quic/wss end checks the server; null only when no TLS end dials
 * @param identity       the certificate of an accepting quic/wss end; null only when no TLS end listens
 * @param maxConnections concurrent forwarded connections the listener admits; extras are refused
 * @param connectTimeout how long dialling a target (TCP connect, QUIC or WebSocket handshake) may take
 * @param threads        event-loop threads
 */
public record ForwardOptions(String token, ServerTrust trust, Certificates.Identity identity, int maxConnections,
                             Duration connectTimeout, QuicTuning quic, int threads) {

    public static final int DEFAULT_MAX_CONNECTIONS = 1024;

    public ForwardOptions {
        if (maxConnections < 1) throw new IllegalArgumentException("max connections must be at least 1");
        if (token != null && token.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > ForwardHeader.MAX_TOKEN_BYTES) {
            throw new IllegalArgumentException("token longer than " + ForwardHeader.MAX_TOKEN_BYTES + " bytes");
        }
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1");
    }

    public static ForwardOptions defaults() {
        return new ForwardOptions(null, null, null, DEFAULT_MAX_CONNECTIONS, Duration.ofSeconds(10),
                QuicTuning.defaults(), Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    public ForwardOptions withToken(String t) {
        return new ForwardOptions(t, trust, identity, maxConnections, connectTimeout, quic, threads);
    }

    public ForwardOptions withTrust(ServerTrust t) {
        return new ForwardOptions(token, t, identity, maxConnections, connectTimeout, quic, threads);
    }

    public ForwardOptions withIdentity(Certificates.Identity i) {
        return new ForwardOptions(token, trust, i, maxConnections, connectTimeout, quic, threads);
    }

    public ForwardOptions withMaxConnections(int n) {
        return new ForwardOptions(token, trust, identity, n, connectTimeout, quic, threads);
    }

    public ForwardOptions withConnectTimeout(Duration d) {
        return new ForwardOptions(token, trust, identity, maxConnections, d, quic, threads);
    }

    public ForwardOptions withQuic(QuicTuning q) {
        return new ForwardOptions(token, trust, identity, maxConnections, connectTimeout, q, threads);
    }

    public ForwardOptions withThreads(int n) {
        return new ForwardOptions(token, trust, identity, maxConnections, connectTimeout, quic, n);
    }
}
