package net.braid.masque.h3;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicDatagramExtensionEvent;
import io.netty.util.collection.LongObjectHashMap;
import java.nio.BufferUnderflowException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Delivers QUIC DATAGRAM frames of one connection to the request stream named by their quarter
 * stream ID (RFC 9297 §2.1). Sits behind Netty's HTTP/3 connection handler in the QuicChannel
 * pipeline, where the datagrams arrive as plain ByteBufs. The stream table is touched only on the
 * connection's event loop (stream channels share their parent's loop).
 */
final class DatagramRouter extends ChannelInboundHandlerAdapter {
    private final H3Connection connection;
    private final LongObjectHashMap<H3Stream> streams = new LongObjectHashMap<>();
    final LongAdder received = new LongAdder();
    final LongAdder droppedNoStream = new LongAdder();
    final LongAdder droppedMalformed = new LongAdder();

    DatagramRouter(H3Connection connection) {
        this.connection = connection;
    }

    void register(H3Stream stream) {
        streams.put(stream.quarterStreamId(), stream);
    }

    void unregister(H3Stream stream) {
        streams.remove(stream.quarterStreamId(), stream);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf datagram)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            long quarterStreamId = QuarterStreamId.read(datagram);
            if (quarterStreamId == QuarterStreamId.MALFORMED) {
                // RFC 9297 §2.1 allows treating this as H3_DATAGRAM_ERROR; one bad datagram is dropped instead.
                droppedMalformed.increment();
                return;
            }
            H3Stream stream = streams.get(quarterStreamId);
            if (stream == null) {
                droppedNoStream.increment();
                return;
            }
            received.increment();
            stream.listener().onDatagram(stream, datagram);
        } finally {
            datagram.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof QuicDatagramExtensionEvent extension) {
            connection.peerAcceptsDatagrams(extension.maxLength());
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Netty fails a datagram larger than quiche can send with BufferUnderflowException; the
        // sender wrote it with a void promise, so the failure surfaces here.
        if (cause instanceof BufferUnderflowException) {
            connection.datagrams().tooLarge.increment();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
