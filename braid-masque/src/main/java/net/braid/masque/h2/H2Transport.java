package net.braid.masque.h2;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;

/**
 * What every braid HTTP/2 endpoint shares: the I/O transport (epoll, else NIO), ALPN, flow-control
 * windows and the SETTINGS braid sends.
 */
final class H2Transport {
    /** Exactly "h2" (RFC 9113 §3.2): HTTP/2 over TLS, nothing else offered. */
    static final String ALPN = "h2";
    /**
     * Per-stream receive window, as the QUIC one (H3Options.initialMaxStreamData): the default
     * 65,535 bytes would hold one CONNECT tunnel to about 64 kB per round trip.
     */
    static final int STREAM_WINDOW = 1 << 20;
    /** Connection receive window, as the QUIC one (H3Options.initialMaxData). */
    static final int CONNECTION_WINDOW = 16 << 20;
    static final int MAX_STREAMS = 256;
    /**
     * DATA a stream holds before {@link H2Stream#isWritable()} says no and packets are refused: one
     * stream window, as the peer can take no more before it reads, instead of Netty's 64 KiB, which
     * refused all but 46 packets of a full-size burst (one TUN read batch holds 64).
     */
    static final int STREAM_SEND_BUFFER = STREAM_WINDOW;

    private H2Transport() {}

    static EventLoopGroup newEventLoopGroup(int threads) {
        IoHandlerFactory factory = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, factory);
    }

    static Class<? extends ServerChannel> serverChannelType() {
        return Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    static Class<? extends Channel> channelType() {
        return Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** The stream channels' water marks: unwritable above {@link #STREAM_SEND_BUFFER}, writable again below half. */
    static WriteBufferWaterMark streamWaterMark() {
        return new WriteBufferWaterMark(STREAM_SEND_BUFFER / 2, STREAM_SEND_BUFFER);
    }

    /** ALPN "h2" only; a peer that offers no h2 fails the handshake rather than speaking HTTP/1.1 to us. */
    static ApplicationProtocolConfig alpn() {
        return new ApplicationProtocolConfig(Protocol.ALPN, SelectorFailureBehavior.NO_ADVERTISE,
                SelectedListenerFailureBehavior.FATAL_ALERT, ALPN);
    }

    /**
     * The server's SETTINGS: SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 8441 §3, id 0x8) so clients
     * may send :protocol, and the larger stream window.
     */
    static Http2Settings serverSettings() {
        return Http2Settings.defaultSettings()
                .initialWindowSize(STREAM_WINDOW)
                .maxConcurrentStreams(MAX_STREAMS)
                .connectProtocolEnabled(true);
    }

    /** The client's SETTINGS: no server push (RFC 9113 §6.5.2), the larger stream window. */
    static Http2Settings clientSettings() {
        return Http2Settings.defaultSettings()
                .initialWindowSize(STREAM_WINDOW)
                .pushEnabled(false);
    }

    /** How much the connection window must grow from RFC 9113's 65,535 to {@link #CONNECTION_WINDOW}. */
    static int connectionWindowIncrement() {
        return CONNECTION_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE;
    }
}
