package net.braid.forward;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.SegmentedDatagramPacketAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;

/** The QUIC settings both ends of a quic:// forward share. */
final class QuicForwarding {
    /** The TLS ALPN of the braid forward protocol (docs/forward.md §2). */
    static final String ALPN = "braid-forward/1";

    private QuicForwarding() {}

    static <B extends QuicCodecBuilder<B>> B configure(B builder, QuicTuning tuning, long maxStreams) {
        return builder
                .maxIdleTimeout(tuning.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .maxRecvUdpPayloadSize(tuning.maxUdpPayload())
                .maxSendUdpPayloadSize(tuning.maxUdpPayload())
                .discoverPmtu(tuning.discoverPmtu())
                .congestionControlAlgorithm(tuning.congestionControl())
                .initialMaxData(tuning.maxData())
                .initialMaxStreamDataBidirectionalLocal(tuning.maxStreamData())
                .initialMaxStreamDataBidirectionalRemote(tuning.maxStreamData())
                .initialMaxStreamsBidirectional(maxStreams)
                .initialMaxStreamsUnidirectional(0)
                // Credit for the whole window at once: the default ten packets take many round trips to grow.
                .initialCongestionWindowPackets(32);
    }

    /** GSO: several packets of one connection per sendmsg, when epoll and the kernel support it. */
    static SegmentedDatagramPacketAllocator segments(QuicTuning tuning) {
        if (!IoTransport.epoll() || tuning.segments() <= 1) return SegmentedDatagramPacketAllocator.NONE;
        return EpollQuicUtils.newSegmentedAllocator(tuning.segments());
    }

    /** Datagrams read per recvmmsg call. */
    static final int DATAGRAMS_PER_READ = 32;

    /**
     * The UDP socket: large kernel buffers for bursts; on epoll, recvmmsg into one buffer of
     * {@value #DATAGRAMS_PER_READ} largest datagrams (one system call per batch instead of one
     * per packet), or GRO on request; elsewhere a read buffer that holds the largest datagram
     * (Netty's default of 2048 bytes would cut larger ones short).
     */
    static Bootstrap udpSocket(Bootstrap bootstrap, QuicTuning tuning) {
        bootstrap.option(ChannelOption.SO_RCVBUF, 4 << 20).option(ChannelOption.SO_SNDBUF, 4 << 20);
        if (IoTransport.epoll() && tuning.gro()) {
            // A GRO read returns up to 64 KiB of coalesced packets; Netty splits them by segment size.
            bootstrap.option(EpollChannelOption.UDP_GRO, true)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(64 * 1024));
        } else if (IoTransport.epoll()) {
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, tuning.maxUdpPayload())
                    .option(ChannelOption.RCVBUF_ALLOCATOR,
                            new FixedRecvByteBufAllocator(tuning.maxUdpPayload() * DATAGRAMS_PER_READ));
        } else if (tuning.maxUdpPayload() > 2048) {
            bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(tuning.maxUdpPayload()));
        }
        return bootstrap;
    }

    /**
     * The tuning a link of {@code mtu} bytes can carry. quiche never sends a UDP payload under
     * 1200 bytes (RFC 9000 §14), which needs an MTU of 1228 (IPv4) or 1248 (IPv6). Below that
     * every datagram is fragmented by the kernel, which works, but UDP GSO then fails (the kernel
     * refuses segments larger than the MTU) and path MTU probes "succeed" through fragmentation;
     * so both are turned off and the payload stays at 1200.
     */
    static QuicTuning fitLink(QuicTuning tuning, int mtu, boolean ipv6) {
        if (mtu <= 0 || mtu - (ipv6 ? 48 : 28) >= 1200) return tuning; // unknown: trust the settings
        return tuning.withMaxUdpPayload(1200).withDiscoverPmtu(false).withOffloads(1, false);
    }

    /**
     * The MTU of the interface this host would use towards {@code peer} (no packet is sent: a
     * connected UDP socket only looks up the route), or of the interface that owns {@code local};
     * the smallest MTU of all interfaces that are up for a wildcard; -1 when unknown.
     */
    static int linkMtu(InetAddress local, InetSocketAddress peer) {
        try {
            InetAddress source = local;
            if (peer != null) {
                try (var probe = new DatagramSocket()) {
                    probe.connect(peer);
                    source = probe.getLocalAddress();
                }
            }
            if (source != null && !source.isAnyLocalAddress()) {
                NetworkInterface nic = NetworkInterface.getByInetAddress(source);
                return nic == null ? -1 : nic.getMTU();
            }
            return NetworkInterface.networkInterfaces()
                    .filter(QuicForwarding::isUp)
                    .mapToInt(QuicForwarding::mtu)
                    .filter(m -> m > 0)
                    .min().orElse(-1);
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    private static boolean isUp(NetworkInterface nic) {
        try {
            return nic.isUp() && !nic.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }

    private static int mtu(NetworkInterface nic) {
        try {
            return nic.getMTU();
        } catch (SocketException e) {
            return -1;
        }
    }
}
