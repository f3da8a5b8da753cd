package net.braid.masque.ip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import net.braid.masque.codec.Capsule;
import net.braid.masque.codec.CapsuleWriter;
import net.braid.masque.codec.HttpDatagram;

/**
 * How IP packets and RFC 9484 capsules ride on a CONNECT-IP request stream: an HTTP Datagram of
 * Context ID 0 carrying a whole IP packet (RFC 9484 §6), in a QUIC DATAGRAM frame or a DATAGRAM
 * capsule (RFC 9297 §3.5), and capsules written as DATA.
 */
final class IpFraming {
    private IpFraming() {}

    /** Reads a QUIC varint (RFC 9000 §16) Context ID and advances, or returns -1 when truncated. */
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

    /**
     * The readable bytes of {@code buf} as a writable ByteBuffer between position and limit,
     * without allocating when the buffer is one writable region (Netty's cached internal view);
     * else copied into {@code spare}, or null when they do not fit.
     */
    static ByteBuffer view(ByteBuf buf, ByteBuffer spare) {
        int length = buf.readableBytes();
        if (buf.nioBufferCount() == 1 && !buf.isReadOnly()) return buf.internalNioBuffer(buf.readerIndex(), length);
        if (length > spare.capacity()) return null;
        spare.clear().limit(length);
        buf.getBytes(buf.readerIndex(), spare);
        return spare.flip();
    }

    /** A DATAGRAM capsule (RFC 9297 §3.5) of Context ID 0 carrying {@code packet}'s readable bytes. */
    static ByteBuf datagramCapsule(ByteBufAllocator alloc, ByteBuf packet) {
        return datagramCapsule(alloc, packet.nioBuffer());
    }

    static ByteBuf datagramCapsule(ByteBufAllocator alloc, ByteBuffer packet) {
        int length = CapsuleWriter.datagramLength(HttpDatagram.PROXIED_PAYLOAD_CONTEXT_ID, packet.remaining());
        ByteBuf out = alloc.directBuffer(length, length);
        CapsuleWriter.writeDatagram(out.nioBuffer(0, length), HttpDatagram.PROXIED_PAYLOAD_CONTEXT_ID, packet);
        return out.writerIndex(length);
    }

    /** Capsules, one after another, ready to write as one DATA frame. */
    static ByteBuf capsules(ByteBufAllocator alloc, Capsule... capsules) {
        int length = 0;
        for (Capsule c : capsules) length += CapsuleWriter.encodedLength(c);
        ByteBuf out = alloc.heapBuffer(length, length);
        ByteBuffer dst = out.nioBuffer(0, length);
        for (Capsule c : capsules) CapsuleWriter.write(dst, c);
        return out.writerIndex(length);
    }
}
