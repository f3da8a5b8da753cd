package net.braid.forward;

import net.braid.masque.h3.RefusalRecorder;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;

/**
 * Dials a braid forward peer over QUIC: one connection, opened on first use and again after it
 * ends, and one bidirectional stream per forwarded connection. Each stream starts with the
 * {@link ForwardHeader} request; bytes flow once the peer answers OK.
 */
final class QuicDialer implements Dialer {
    private static final Logger LOG = System.getLogger(QuicDialer.class.getName());

    private final ForwardUrl peer;
    /**
     * The loop of every connection this dialler opens, and so of all their streams. Accepted TCP
     * connections are registered here too ({@link #acceptingLoops}): with the TCP side on another
     * loop, every read batch crossed threads twice (hand-over and wake-up), which cost about a
     * fifth of the client side's event-loop CPU per MB and half the rate on a loaded 2-core machine.
     */
    private final EventLoop home;
    private final ForwardOptions options;
    private final QuicSslContext tls;
    private final RefusalRecorder judge;
    private Future<QuicChannel> connection;

    QuicDialer(ForwardUrl peer, EventLoopGroup group, ForwardOptions options) throws ForwardException {
        if (options.trust() == null) throw new ForwardException("dialling " + peer + " needs a pinned key or a CA file");
        this.peer = peer;
        this.home = group.next();
        this.options = options;
        try {
            judge = new RefusalRecorder(options.trust().trustManager());
        } catch (GeneralSecurityException e) {
            throw new ForwardException("cannot build the trust manager: " + e.getMessage(), e);
        }
        tls = QuicSslContextBuilder.forClient()
                .applicationProtocols(QuicForwarding.ALPN)
                .trustManager(judge)
                .endpointIdentificationAlgorithm(options.trust().checksServerName() ? "HTTPS" : null)
                .build();
    }

    @Override
    public Future<Channel> dial(EventLoop loop) {
        Promise<Channel> result = loop.newPromise();
        connection().addListener(c -> {
            if (!c.isSuccess()) {
                result.setFailure(c.cause());
                return;
            }
            QuicChannel quic = (QuicChannel) c.getNow();
            quic.createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInitializer<QuicStreamChannel>() {
                @Override
                protected void initChannel(QuicStreamChannel stream) {
                    stream.pipeline().addLast(UnreadInputRelease.INSTANCE, new Opening(result), new Relay());
                }
            }).addListener(s -> {
                if (!s.isSuccess()) {
                    result.tryFailure(new ForwardException("cannot open a stream to " + peer + ": "
                            + ForwardException.reason(s.cause()), s.cause()));
                }
            });
        });
        return result;
    }

    /** The current connection, or a new one when there is none or it has ended. */
    private synchronized Future<QuicChannel> connection() {
        Future<QuicChannel> current = connection;
        if (current != null && (!current.isDone() || current.isSuccess() && current.getNow().isActive())) return current;
        connection = connect();
        return connection;
    }

    @Override
    public EventLoopGroup acceptingLoops(EventLoopGroup group) {
        return home;
    }

    private Future<QuicChannel> connect() {
        EventLoop loop = home;
        Promise<QuicChannel> result = loop.newPromise();
        InetSocketAddress address;
        try {
            address = peer.socketAddress();
            if (address.isUnresolved()) throw new ForwardException("cannot resolve " + peer.host());
        } catch (ForwardException | IllegalArgumentException e) {
            return result.setFailure(new ForwardException("cannot reach " + peer + ": " + e.getMessage(), e));
        }
        QuicTuning tuning = fitLink(address);
        ChannelHandler codec = QuicForwarding.configure(new QuicClientCodecBuilder(), tuning, 0)
                .sslEngineProvider(q -> tls.newEngine(q.alloc(), peer.host(), peer.port()))
                .build();
        InetAddress wildcard = address.getAddress() instanceof Inet6Address
                ? InetAddress.ofLiteral("::") : InetAddress.ofLiteral("0.0.0.0");
        var bound = QuicForwarding.udpSocket(new Bootstrap().group(loop).channel(IoTransport.datagram()), tuning)
                .handler(codec).bind(new InetSocketAddress(wildcard, 0));
        bound.addListener(b -> {
            if (!b.isSuccess()) {
                result.setFailure(new ForwardException("cannot open a UDP socket: " + ForwardException.reason(b.cause()), b.cause()));
                return;
            }
            Channel socket = bound.channel();
            Future<QuicChannel> connecting = QuicChannel.newBootstrap(socket)
                    .option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, QuicForwarding.segments(tuning))
                    .handler(new ChannelInboundHandlerAdapter())
                    .remoteAddress(address)
                    .connect();
            var timeout = loop.schedule(() -> {
                if (connecting.cancel(false)) socket.close();
            }, options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            connecting.addListener(q -> {
                timeout.cancel(false);
                if (q.isSuccess()) {
                    QuicChannel quic = (QuicChannel) q.getNow();
                    quic.closeFuture().addListener(x -> socket.close());
                    LOG.log(Level.INFO, "QUIC connection to {0} up", peer);
                    result.setSuccess(quic);
                } else {
                    socket.close();
                    result.setFailure(handshakeFailure(q.cause()));
                }
            });
        });
        return result;
    }

    /** The configured tuning, cut down when the link towards the peer is narrower than QUIC needs. */
    private QuicTuning fitLink(InetSocketAddress address) {
        int mtu = QuicForwarding.linkMtu(null, address);
        QuicTuning fitted = QuicForwarding.fitLink(options.quic(), mtu, address.getAddress() instanceof Inet6Address);
        if (fitted != options.quic()) {
            LOG.log(Level.WARNING, "the link towards {0} has MTU {1,number,#}, below QUIC''s 1200-byte datagrams (RFC 9000 §14): "
                    + "they will be IP-fragmented; GSO and path MTU discovery are off", peer, mtu);
        }
        return fitted;
    }

    private ForwardException handshakeFailure(Throwable cause) {
        var refusal = judge.refusal();
        String reason = cause instanceof java.util.concurrent.CancellationException
                ? "no QUIC handshake within " + options.connectTimeout().toSeconds() + " s"
                : ForwardException.reason(cause);
        if (refusal != null) reason = "server certificate refused: " + refusal.getMessage() + " (" + reason + ")";
        return new ForwardException("QUIC/TLS handshake with " + peer + " failed: " + reason, cause);
    }

    /** Sends the stream header and waits for the answer; then hands the stream to its {@link Relay}. */
    private final class Opening extends ChannelInboundHandlerAdapter {
        private final Promise<Channel> result;
        private ByteBuf answer;
        private boolean sent;

        Opening(Promise<Channel> result) {
            this.result = result;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            sendHeader(ctx);
            ctx.fireChannelActive();
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (ctx.channel().isActive()) sendHeader(ctx);
        }

        private void sendHeader(ChannelHandlerContext ctx) {
            if (sent) return;
            sent = true;
            ByteBuf header = ctx.alloc().buffer(2 + ForwardHeader.MAX_TOKEN_BYTES);
            ForwardHeader.writeRequest(header, options.token() == null ? "" : options.token());
            ctx.writeAndFlush(header);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf bytes)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            answer = answer == null ? bytes : ctx.alloc().compositeBuffer().addComponents(true, answer, bytes);
            ForwardHeader.Response response;
            try {
                response = ForwardHeader.readResponse(answer);
            } catch (ForwardHeader.MalformedHeaderException e) {
                fail(ctx, peer + " does not speak braid-forward/1: " + e.getMessage());
                return;
            }
            if (response == null) return;
            if (response.status() != ForwardHeader.Status.OK) {
                fail(ctx, peer + " refused the connection: " + response.status() + ": " + response.reason());
                return;
            }
            ByteBuf rest = answer;
            answer = null;
            ctx.pipeline().remove(this);
            if (rest.isReadable()) ctx.fireChannelRead(rest);
            else rest.release();
            if (!result.trySuccess(ctx.channel())) ctx.close();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) fail(ctx, peer + " ended the stream without an answer");
            ReferenceCountUtil.release(event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(ctx, peer + " closed the stream without an answer");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(ctx, "stream to " + peer + " failed: " + ForwardException.reason(cause));
        }

        private void fail(ChannelHandlerContext ctx, String message) {
            if (answer != null) {
                answer.release();
                answer = null;
            }
            result.tryFailure(new ForwardException(message));
            ctx.close();
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null && connection.isSuccess()) connection.getNow().close();
    }
}
