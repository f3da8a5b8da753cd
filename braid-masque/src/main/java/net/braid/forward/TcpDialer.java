package net.braid.forward;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;

/** Dials plain TCP. */
final class TcpDialer implements Dialer {
    /** Per-direction buffer above which the reading side pauses (see {@link Relay}). */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private final ForwardUrl target;
    private final InetSocketAddress address;
    private final int connectTimeoutMillis;

    TcpDialer(ForwardUrl target, ForwardOptions options) {
        this.target = target;
        this.address = target.socketAddress();
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis());
    }

    /** The socket options every forwarded TCP connection gets, accepted or dialled. */
    static Bootstrap configure(Bootstrap b) {
        return b.channel(IoTransport.socket())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
    }

    @Override
    public Future<Channel> dial(EventLoop loop) {
        Promise<Channel> result = loop.newPromise();
        ChannelFuture connect = configure(new Bootstrap().group(loop))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .handler(new Relay())
                .connect(address);
        connect.addListener(f -> {
            if (f.isSuccess()) result.setSuccess(connect.channel());
            else result.setFailure(new ForwardException("cannot reach " + target + ": " + ForwardException.reason(f.cause()), f.cause()));
        });
        return result;
    }
}
