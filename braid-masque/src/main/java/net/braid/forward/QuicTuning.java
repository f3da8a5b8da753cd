package net.braid.forward;

import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;
import java.time.Duration;

/**
 * QUIC settings for bulk transfer.
 *
 * @param maxUdpPayload   the largest UDP payload sent and accepted. RFC 9000 §14 only guarantees
 *                        1200; 1452 fills a 1500-byte link under IPv6 (1500 − 40 − 8). With
 *                        {@code discoverPmtu} quiche starts at 1200 and probes up to this size
 *                        (DPLPMTUD, RFC 8899), so a narrower path still works
 * @param segments        UDP GSO: packets handed to the kernel per sendmsg (1 turns GSO off);
 *                        epoll only
 * @param gro             UDP GRO on receive (epoll only); off by default, see {@link #defaults}
 * @param maxData         connection flow-control window: the most a peer may have in flight
 *                        towards us, over all streams; it bounds the receive memory
 * @param maxStreamData   per-stream flow-control window
 */
public record QuicTuning(int maxUdpPayload, boolean discoverPmtu, int segments, boolean gro,
                         QuicCongestionControlAlgorithm congestionControl, long maxData, long maxStreamData,
                         Duration idleTimeout) {

    public QuicTuning {
        if (maxUdpPayload < 1200 || maxUdpPayload > 65527) {
            throw new IllegalArgumentException("QUIC UDP payload must be 1200..65527 bytes (RFC 9000 §14), not " + maxUdpPayload);
        }
        if (segments < 1 || segments > 64) throw new IllegalArgumentException("GSO segments must be 1..64");
        if (maxStreamData > maxData) throw new IllegalArgumentException("stream window larger than connection window");
    }

    public static QuicTuning defaults() {
        // GRO stays off: with Netty 4.2.18 it cut loopback throughput from ~300 to ~35 Mbit/s here.
        return new QuicTuning(1452, true, 16, false, QuicCongestionControlAlgorithm.CUBIC,
                32L << 20, 8L << 20, Duration.ofSeconds(30));
    }

    public QuicTuning withMaxUdpPayload(int bytes) {
        return new QuicTuning(bytes, discoverPmtu, segments, gro, congestionControl, maxData, maxStreamData, idleTimeout);
    }

    public QuicTuning withDiscoverPmtu(boolean on) {
        return new QuicTuning(maxUdpPayload, on, segments, gro, congestionControl, maxData, maxStreamData, idleTimeout);
    }

    public QuicTuning withCongestionControl(QuicCongestionControlAlgorithm algorithm) {
        return new QuicTuning(maxUdpPayload, discoverPmtu, segments, gro, algorithm, maxData, maxStreamData, idleTimeout);
    }

    public QuicTuning withOffloads(int gsoSegments, boolean udpGro) {
        return new QuicTuning(maxUdpPayload, discoverPmtu, gsoSegments, udpGro, congestionControl, maxData, maxStreamData, idleTimeout);
    }
}
