package net.braid.forward;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/** Accepts TCP connections and forwards each through the dialer; a failed dial closes the connection. */
final class TcpListener {
    private static final Logger LOG = System.getLogger(TcpListener.class.getName());

    private TcpListener() {}

    static Channel bind(EventLoopGroup group, ForwardUrl listen, Admission admission, Dialer dialer) throws InterruptedException {
        return new ServerBootstrap().group(group, dialer.acceptingLoops(group)).channel(IoTransport.serverSocket())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, TcpDialer.WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!admission.tryEnter()) {
                            LOG.log(Level.WARNING, "{0}: refusing {1}: all {2} connections in use",
                                    listen, ch.remoteAddress(), admission.maxConnections());
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> admission.leave());
                        ch.pipeline().addLast(new Relay());
                        dialer.dial(ch.eventLoop()).addListener(d -> {
                            if (d.isSuccess()) {
                                Relay.join(ch, (Channel) d.getNow());
                            } else {
                                LOG.log(Level.WARNING, "{0}: closing {1}: {2}", listen, ch.remoteAddress(),
                                        ForwardException.reason(d.cause()));
                                ch.close();
                            }
                        });
                    }
                })
                .bind(listen.socketAddress()).sync().channel();
    }
}
