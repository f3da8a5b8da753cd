package net.braid.masque.h3;

import java.time.Duration;

/**
 * QUIC transport knobs of an HTTP/3 endpoint.
 *
 * @param maxUdpPayload      largest UDP payload sent and accepted; quiche's default of 1200 leaves
 *                           about 1156 bytes for a DATAGRAM frame, too small to carry a 1280-byte
 *                           IPv6 packet, so MASQUE endpoints raise it (RFC 9298 §5 discusses MTU)
 * @param datagramRecvQueue  QUIC DATAGRAMs quiche keeps until Netty reads them (oldest dropped beyond)
 * @param datagramSendQueue  QUIC DATAGRAMs quiche keeps until it can send them; Netty drops writes
 *                           beyond it silently, which {@link DatagramSender} works to avoid
 * @param quicDatagrams      whether to offer QUIC DATAGRAM frames (RFC 9221) and SETTINGS_H3_DATAGRAM;
 *                           without them MASQUE falls back to DATAGRAM capsules on the stream (RFC 9297 §3.5)
 */
public record H3Options(int maxUdpPayload, int datagramRecvQueue, int datagramSendQueue, Duration idleTimeout,
                        long initialMaxData, long initialMaxStreamData, long maxBidirectionalStreams,
                        boolean quicDatagrams) {

    public H3Options {
        if (maxUdpPayload < 1200 || maxUdpPayload > 65527) {
            throw new IllegalArgumentException("maxUdpPayload must be 1200..65527 (RFC 9000 §14), not " + maxUdpPayload);
        }
        if (datagramRecvQueue < 1 || datagramSendQueue < 2) throw new IllegalArgumentException("datagram queues too short");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) throw new IllegalArgumentException("idle timeout must be positive");
    }

    public H3Options(int maxUdpPayload, int datagramRecvQueue, int datagramSendQueue, Duration idleTimeout,
                     long initialMaxData, long initialMaxStreamData, long maxBidirectionalStreams) {
        this(maxUdpPayload, datagramRecvQueue, datagramSendQueue, idleTimeout, initialMaxData, initialMaxStreamData,
                maxBidirectionalStreams, true);
    }

    public static H3Options defaults() {
        return new H3Options(1500, 1024, 1024, Duration.ofSeconds(30), 16L << 20, 1L << 20, 256);
    }

    public H3Options withMaxUdpPayload(int bytes) {
        return new H3Options(bytes, datagramRecvQueue, datagramSendQueue, idleTimeout, initialMaxData,
                initialMaxStreamData, maxBidirectionalStreams, quicDatagrams);
    }

    public H3Options withDatagramQueues(int recv, int send) {
        return new H3Options(maxUdpPayload, recv, send, idleTimeout, initialMaxData, initialMaxStreamData,
                maxBidirectionalStreams, quicDatagrams);
    }

    /** The same options without QUIC DATAGRAM support, as a peer lacking RFC 9221 would connect. */
    public H3Options withoutQuicDatagrams() {
        return new H3Options(maxUdpPayload, datagramRecvQueue, datagramSendQueue, idleTimeout, initialMaxData,
                initialMaxStreamData, maxBidirectionalStreams, false);
    }
}
