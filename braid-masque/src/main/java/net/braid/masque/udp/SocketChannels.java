package net.braid.masque.udp;

import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The socket types for target connections. They register on the QUIC connection's own event loop,
 * whose I/O handler is epoll where available and NIO elsewhere (as braid's H3 transport chooses),
 * so a relay never hands a packet to another thread.
 */
final class SocketChannels {
    private SocketChannels() {}

    static Class<? extends Channel> udp() {
        return Epoll.isAvailable() ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    static Class<? extends Channel> tcp() {
        return Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
