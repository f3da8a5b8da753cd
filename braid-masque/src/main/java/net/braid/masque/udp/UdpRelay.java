package net.braid.masque.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import net.braid.masque.codec.MalformedCapsuleException;
import net.braid.masque.h3.MasqueStream;
import net.braid.masque.h3.StreamListener;

/**
 * The proxy's half of one CONNECT-UDP session (RFC 9298): a connected UDP socket to the target on
 * the stream's event loop, fed from HTTP Datagrams of context ID 0 (QUIC DATAGRAM frames, or
 * DATAGRAM capsules when the client lacks them) and feeding back the same way. Full queues drop
 * and count, as UDP would. The stream's end, a reset, or idleness closes the socket.
 */
final class UdpRelay extends ChannelInboundHandlerAdapter implements StreamListener, UdpFraming.Payloads {
    private final MasqueStream stream;
    private final ProxyCounters counters;
    private final UdpFraming framing;
    private Channel socket; // event loop only, like every field below
    private boolean ended;

    UdpRelay(MasqueStream stream, ProxyCounters counters) {
        this.stream = stream;
        this.counters = counters;
        this.framing = new UdpFraming(this, stream.alloc());
    }

    /** The target socket is connected; the 200 goes out next. Returns false if the stream went away meanwhile. */
    boolean attach(Channel socket) {
        if (ended) {
            socket.close();
            return false;
        }
        this.socket = socket;
        return true;
    }

    /** Set-up failed and a refusal was sent: ignore whatever else arrives. */
    void refused() {
        ended = true;
    }

    // Client → target.

    @Override
    public void onDatagram(MasqueStream s, ByteBuf payload) {
        if (!ended) framing.onQuicDatagram(payload);
    }

    @Override
    public void onData(MasqueStream s, ByteBuf data) {
        if (ended) return;
        try {
            framing.onStreamData(data);
        } catch (MalformedCapsuleException e) {
            malformed(e);
        }
    }

    @Override
    public void onPayload(ByteBuf payload) {
        Channel target = socket;
        if (target == null || !target.isWritable()) {
            counters.droppedQueueFull.increment();
            return;
        }
        counters.datagramsToTargets.increment();
        target.writeAndFlush(payload.retain(), target.voidPromise());
    }

    @Override
    public void onUnknownContext() {
        counters.droppedUnknownContext.increment();
    }

    @Override
    public void onInputClosed(MasqueStream s) {
        if (ended) return;
        try {
            framing.onStreamEnd();
        } catch (MalformedCapsuleException e) {
            malformed(e);
            return;
        }
        end();
        stream.finish();
    }

    @Override
    public void onReset(MasqueStream s, long errorCode) {
        end();
        stream.close();
    }

    @Override
    public void onClosed(MasqueStream s) {
        end();
    }

    private void malformed(MalformedCapsuleException e) {
        counters.malformedCapsules.increment();
        end();
        stream.abort(e.error().h3ErrorCode());
    }

    private void end() {
        ended = true;
        if (socket != null) socket.close();
    }

    // Target → client.

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            ByteBuf content = msg instanceof DatagramPacket packet ? packet.content()
                    : msg instanceof ByteBuf b ? b : null;
            if (content != null && !ended) toClient(content);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void toClient(ByteBuf content) {
        if (stream.datagramsNegotiated()) {
            switch (stream.sendDatagram(0, content.retain())) {
                case SENT -> counters.datagramsFromTargets.increment();
                case TOO_LARGE -> counters.droppedTooLarge.increment();
                default -> counters.droppedQueueFull.increment();
            }
        } else if (!stream.isWritable()) {
            counters.droppedQueueFull.increment();
        } else {
            counters.datagramsFromTargets.increment();
            stream.write(UdpFraming.capsule(socket.alloc(), content));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && !ended) {
            counters.idleClosed.increment();
            end();
            stream.finish().addListener(f -> stream.close());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // ICMP errors surface on a connected socket as PortUnreachableException and the like:
        // like UDP itself, the session goes on, since a later datagram may get through.
    }
}
