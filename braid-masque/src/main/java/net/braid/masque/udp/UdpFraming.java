package net.braid.masque.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import net.braid.masque.codec.CapsuleError;
import net.braid.masque.codec.CapsuleHandler;
import net.braid.masque.codec.CapsuleParser;
import net.braid.masque.codec.CapsuleWriter;
import net.braid.masque.codec.HttpDatagram;
import net.braid.masque.codec.MalformedCapsuleException;
import net.braid.masque.codec.QuicVarint;

/**
 * How UDP payloads ride on a CONNECT-UDP request stream (RFC 9298 §5): an HTTP Datagram of
 * context ID 0 then the payload, either in a QUIC DATAGRAM frame or, when those are not
 * negotiated, in a DATAGRAM capsule on the stream (RFC 9297 §3.5). One instance per stream; the
 * parser state is the stream's.
 */
final class UdpFraming {
    /** What the stream delivers: a UDP payload, valid only during the call. */
    interface Payloads {
        void onPayload(ByteBuf payload);

        /** An HTTP Datagram whose context ID is not 0, or is truncated: dropped (RFC 9298 §4). */
        void onUnknownContext();
    }

    private final CapsuleParser parser = new CapsuleParser();
    private final Payloads payloads;
    private final CapsuleHandler capsules;
    private boolean truncatedContextId;

    UdpFraming(Payloads payloads, ByteBufAllocator alloc) {
        this.payloads = payloads;
        this.capsules = value -> {
            if (truncatedContextId) return;
            ByteBuffer rest = value.duplicate();
            long contextId = QuicVarint.read(rest);
            if (contextId == QuicVarint.NEED_MORE) {
                truncatedContextId = true; // raised as malformed once the parser returns
            } else if (contextId != HttpDatagram.PROXIED_PAYLOAD_CONTEXT_ID) {
                payloads.onUnknownContext();
            } else {
                // The parser's view lives only for this call and relays write asynchronously: copy once.
                ByteBuf copy = alloc.directBuffer(rest.remaining()).writeBytes(rest);
                try {
                    payloads.onPayload(copy);
                } finally {
                    copy.release();
                }
            }
        };
    }

    /** Stream DATA: capsule bytes in any split. */
    void onStreamData(ByteBuf data) throws MalformedCapsuleException {
        if (data.nioBufferCount() == 1) {
            parser.feed(data.nioBuffer(), capsules);
        } else {
            for (ByteBuffer b : data.nioBuffers()) parser.feed(b, capsules);
        }
        if (truncatedContextId) {
            // RFC 9298 §5: the DATAGRAM capsule's value starts with a Context ID; without one it cannot be parsed.
            throw new MalformedCapsuleException(CapsuleError.TRUNCATED_VALUE, "DATAGRAM capsule without a Context ID");
        }
    }

    /** The stream's FIN: one inside a capsule is malformed (RFC 9297 §3.3). */
    void onStreamEnd() throws MalformedCapsuleException {
        parser.finish();
    }

    /** A QUIC DATAGRAM routed to this stream: context ID, then payload (RFC 9298 §5). */
    void onQuicDatagram(ByteBuf payload) {
        long contextId = readContextId(payload);
        if (contextId == HttpDatagram.PROXIED_PAYLOAD_CONTEXT_ID) payloads.onPayload(payload);
        else payloads.onUnknownContext();
    }

    /** Reads a QUIC varint (RFC 9000 §16) and advances, or returns -1 when truncated. */
    static long readContextId(ByteBuf src) {
        if (!src.isReadable()) return -1;
        int first = src.getUnsignedByte(src.readerIndex());
        int length = 1 << (first >>> 6);
        if (src.readableBytes() < length) return -1;
        return switch (length) {
            case 1 -> src.readUnsignedByte();
            case 2 -> src.readUnsignedShort() & 0x3FFF;
            case 4 -> src.readUnsignedInt() & 0x3FFF_FFFFL;
            default -> src.readLong() & 0x3FFF_FFFF_FFFF_FFFFL;
        };
    }

    /** A DATAGRAM capsule (RFC 9297 §3.5) carrying {@code payload} with context ID 0, ready for the stream. */
    static ByteBuf capsule(ByteBufAllocator alloc, ByteBuffer payload) {
        int length = CapsuleWriter.datagramLength(HttpDatagram.PROXIED_PAYLOAD_CONTEXT_ID, payload.remaining());
        ByteBuf out = alloc.directBuffer(length, length);
        CapsuleWriter.writeDatagram(out.nioBuffer(0, length), HttpDatagram.PROXIED_PAYLOAD_CONTEXT_ID, payload);
        return out.writerIndex(length);
    }

    static ByteBuf capsule(ByteBufAllocator alloc, ByteBuf payload) {
        return capsule(alloc, payload.nioBuffer());
    }
}
