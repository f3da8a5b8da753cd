package net.braid.masque.h3;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3SettingsFrame;
import io.netty.handler.codec.http3.Http3Settings;
import io.netty.handler.codec.http3.Http3SettingsFrame;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import java.util.concurrent.TimeUnit;

/**
 * The parts every braid HTTP/3 endpoint shares: the I/O transport (epoll on Linux, NIO where epoll
 * is missing, e.g. Android), the QUIC parameters, and the SETTINGS braid sends.
 */
final class H3Transport {
    /** Exactly "h3" (RFC 9114 §3.1): no draft versions. */
    static final String ALPN = "h3";

    private H3Transport() {}

    static boolean epoll() {
        return Epoll.isAvailable();
    }

    static EventLoopGroup newEventLoopGroup(int threads) {
        IoHandlerFactory factory = epoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, factory);
    }

    static Class<? extends Channel> datagramChannelType() {
        return epoll() ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    static <B extends QuicCodecBuilder<B>> B configure(B builder, H3Options options) {
        if (options.quicDatagrams()) builder.datagram(options.datagramRecvQueue(), options.datagramSendQueue());
        return builder
                .maxIdleTimeout(options.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .maxRecvUdpPayloadSize(options.maxUdpPayload())
                .maxSendUdpPayloadSize(options.maxUdpPayload())
                .initialMaxData(options.initialMaxData())
                .initialMaxStreamDataBidirectionalLocal(options.initialMaxStreamData())
                .initialMaxStreamDataBidirectionalRemote(options.initialMaxStreamData())
                .initialMaxStreamsBidirectional(options.maxBidirectionalStreams());
    }

    /**
     * SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 9220 §3, id 0x08) for extended CONNECT, and
     * SETTINGS_H3_DATAGRAM = 1 (RFC 9297 §2.1.1, id 0x33) for HTTP Datagrams. The QPACK dynamic table
     * stays off (capacity 0), so no encoder/decoder stream state can block a request. Without QUIC
     * DATAGRAM support SETTINGS_H3_DATAGRAM stays 0: RFC 9297 §2.1.1 forbids 1 without the transport parameter.
     */
    static Http3SettingsFrame localSettings(H3Options options) {
        return new DefaultHttp3SettingsFrame(Http3Settings.defaultSettings()
                .enableConnectProtocol(true)
                .enableH3Datagram(options.quicDatagrams()));
    }
}
