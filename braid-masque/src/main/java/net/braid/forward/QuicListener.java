package net.braid.forward;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import net.braid.forward.ForwardHeader.Response;
import net.braid.forward.ForwardHeader.Status;

/**
 * Accepts braid-forward/1 QUIC connections: each bidirectional stream carries one forwarded
 * connection, admitted after its {@link ForwardHeader} request names the right token and the
 * target answered.
 */
final class QuicListener {
    private static final Logger LOG = System.getLogger(QuicListener.class.getName());

    private QuicListener() {}

    static Channel bind(EventLoopGroup group, ForwardUrl listen, ForwardOptions options, Admission admission,
                        Dialer dialer) throws InterruptedException, ForwardException {
        if (options.identity() == null) throw new ForwardException("listening on " + listen + " needs a certificate and key");
        QuicSslContext tls = QuicSslContextBuilder
                .forServer(options.identity().key(), null, options.identity().chain().toArray(X509Certificate[]::new))
                .applicationProtocols(QuicForwarding.ALPN)
                .build();
        InetSocketAddress local = listen.socketAddress();
        int mtu = QuicForwarding.linkMtu(local.getAddress(), null);
        QuicTuning tuning = QuicForwarding.fitLink(options.quic(), mtu, local.getAddress() instanceof Inet6Address);
        if (tuning != options.quic()) {
            LOG.log(Level.WARNING, "{0}: link MTU {1,number,#} is below QUIC''s 1200-byte datagrams (RFC 9000 §14): "
                    + "they will be IP-fragmented; GSO and path MTU discovery are off", listen, mtu);
        }
        ChannelHandler codec = QuicForwarding.configure(new QuicServerCodecBuilder(), tuning,
                        // Headroom above the limit, so extras hear TOO_MANY_CONNECTIONS instead of a bare STREAM_LIMIT.
                        options.maxConnections() + 64L)
                .sslContext(tls)
                .option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, QuicForwarding.segments(tuning))
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        QuicChannel quic = (QuicChannel) ctx.channel();
                        LOG.log(Level.INFO, "{0}: QUIC connection from {1}", listen, quic.remoteSocketAddress());
                        ctx.fireChannelActive();
                    }
                })
                .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel stream) {
                        stream.pipeline().addLast(UnreadInputRelease.INSTANCE, new Gate(listen, admission, dialer), new Relay());
                    }
                })
                .build();
        return QuicForwarding.udpSocket(new Bootstrap().group(group).channel(IoTransport.datagram()), tuning)
                .handler(codec).bind(local).sync().channel();
    }

    /** Reads the stream header, checks token and capacity, dials the target and answers. */
    private static final class Gate extends ChannelInboundHandlerAdapter {
        private final ForwardUrl listen;
        private final Admission admission;
        private final Dialer dialer;
        private ByteBuf header;
        private boolean decided;

        Gate(ForwardUrl listen, Admission admission, Dialer dialer) {
            this.listen = listen;
            this.admission = admission;
            this.dialer = dialer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (decided || !(msg instanceof ByteBuf bytes)) {
                ReferenceCountUtil.release(msg); // after a refusal: drain until the client's FIN
                return;
            }
            header = header == null ? bytes : ctx.alloc().compositeBuffer().addComponents(true, header, bytes);
            String token;
            try {
                token = ForwardHeader.readRequest(header);
            } catch (ForwardHeader.MalformedHeaderException e) {
                refuse(ctx, new Response(Status.BAD_VERSION, e.getMessage()));
                return;
            }
            if (token == null) {
                if (header.readableBytes() > 2 + ForwardHeader.MAX_TOKEN_BYTES) refuse(ctx, new Response(Status.BAD_VERSION, "header too long"));
                return;
            }
            decided = true;
            if (!admission.tokenAccepted(token)) {
                refuse(ctx, new Response(Status.BAD_TOKEN, "wrong token"));
                return;
            }
            if (!admission.tryEnter()) {
                refuse(ctx, new Response(Status.TOO_MANY_CONNECTIONS, "all " + admission.maxConnections() + " connections in use"));
                return;
            }
            Channel stream = ctx.channel();
            stream.closeFuture().addListener(f -> admission.leave());
            dialer.dial(stream.eventLoop()).addListener(d -> {
                if (!d.isSuccess()) {
                    refuse(ctx, new Response(Status.TARGET_UNREACHABLE, ForwardException.reason(d.cause())));
                    return;
                }
                Channel target = (Channel) d.getNow();
                stream.eventLoop().execute(() -> open(ctx, target));
            });
        }

        private void open(ChannelHandlerContext ctx, Channel target) {
            if (!ctx.channel().isActive()) {
                target.close();
                return;
            }
            ByteBuf answer = ctx.alloc().buffer(1);
            ForwardHeader.writeResponse(answer, Response.OK);
            ctx.writeAndFlush(answer);
            ByteBuf rest = header;
            header = null;
            ctx.pipeline().remove(this);
            if (rest.isReadable()) ctx.fireChannelRead(rest);
            else rest.release();
            Relay.join(ctx.channel(), target);
        }

        private void refuse(ChannelHandlerContext ctx, Response response) {
            decided = true;
            releaseHeader();
            LOG.log(Level.WARNING, "{0}: refusing a stream from {1}: {2}: {3}", listen,
                    ((QuicChannel) ctx.channel().parent()).remoteSocketAddress(), response.status(), response.reason());
            ByteBuf answer = ctx.alloc().buffer();
            ForwardHeader.writeResponse(answer, response);
            ctx.writeAndFlush(new DefaultQuicStreamFrame(answer, true)); // the answer, then FIN
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            releaseHeader();
            ctx.fireChannelInactive();
        }

        private void releaseHeader() {
            if (header != null) {
                header.release();
                header = null;
            }
        }
    }
}
