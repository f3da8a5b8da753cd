package net.braid.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A quic:// dialler names one event loop for the connections a listener accepts, and every stream
 * it dials lives there, so both channels of a forwarded connection share a thread (Relay then
 * flushes once per batch instead of handing each batch across threads).
 */
class QuicDialerLoopTest {
    @Test
    void streamsLiveOnTheLoopTheDiallerNamesForAcceptedConnections() throws Exception {
        EventLoopGroup group = IoTransport.newGroup(3);
        try (var target = new TargetServer(0);
             var exit = Forwarder.start(ForwardUrl.parse("quic://127.0.0.1:0"),
                     ForwardUrl.parse("tcp://127.0.0.1:" + target.port()), ForwardChain.serverOptions(null));
             var dialer = new QuicDialer(exit.listening(), group, ForwardChain.clientOptions(null))) {
            EventLoopGroup accepting = dialer.acceptingLoops(group);
            assertThat(accepting).isInstanceOf(EventLoop.class);
            for (int i = 0; i < 3; i++) {
                EventLoop caller = group.next(); // each in turn, the dialler's own loop among them
                Channel stream = dialer.dial(caller).get(30, TimeUnit.SECONDS);
                try {
                    assertThat(stream.eventLoop()).as("loop of stream %d, dialled from %s", i, caller).isSameAs(accepting);
                } finally {
                    stream.close();
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
