package net.braid.forward;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;

/**
 * Opens byte channels to one configured end. A dialled channel's pipeline ends with a {@link Relay}
 * that holds what arrives until {@link Relay#join} gives it a peer.
 */
sealed interface Dialer extends AutoCloseable permits TcpDialer, QuicDialer, WebSocketDialer, H3ConnectDialer {

    /**
     * Opens a channel, preferring {@code loop} for its I/O. Fails with a {@link ForwardException}
     * whose message names the end and says why (refused, unreachable, handshake refused, bad token).
     */
    Future<Channel> dial(EventLoop loop);

    /**
     * Where a listener should register the connections it accepts for this dialler: the loop all
     * its channels live on when it has one (every stream of one QUIC connection runs on that
     * connection's loop), so both channels of a forwarded connection share a thread; else {@code group}.
     */
    default EventLoopGroup acceptingLoops(EventLoopGroup group) {
        return group;
    }

    @Override
    default void close() {}
}
