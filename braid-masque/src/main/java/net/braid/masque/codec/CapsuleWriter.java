package net.braid.masque.codec;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Writes capsules (RFC 9297 §3.2): Capsule Type and Capsule Length as varints in their shortest
 * form, then the value. Every writer checks the room first and throws
 * {@link BufferOverflowException} without writing anything when {@code dst} is too short.
 */
public final class CapsuleWriter {

    private CapsuleWriter() {}

    /** Bytes taken by the Type and Length fields. */
    public static int headerLength(long type, long valueLength) {
        return QuicVarint.length(type) + QuicVarint.length(valueLength);
    }

    /** Writes Capsule Type then Capsule Length (RFC 9297 §3.2); the value follows. */
    public static void writeHeader(ByteBuffer dst, long type, long valueLength) {
        checkRoom(dst, headerLength(type, valueLength));
        QuicVarint.write(dst, type);
        QuicVarint.write(dst, valueLength);
    }

    /** Bytes of the whole capsule. */
    public static int encodedLength(Capsule capsule) {
        int value = capsule.valueLength();
        return headerLength(capsule.type(), value) + value;
    }

    /** Writes a whole capsule: Type, Length, Value. */
    public static void write(ByteBuffer dst, Capsule capsule) {
        int value = capsule.valueLength();
        checkRoom(dst, headerLength(capsule.type(), value) + value);
        QuicVarint.write(dst, capsule.type());
        QuicVarint.write(dst, value);
        capsule.writeValue(dst);
    }

    /** The whole capsule as a new array. */
    public static byte[] encode(Capsule capsule) {
        ByteBuffer b = ByteBuffer.allocate(encodedLength(capsule));
        write(b, capsule);
        return b.array();
    }

    /** Bytes of a DATAGRAM capsule carrying a MASQUE HTTP Datagram (see {@link #writeDatagram}). */
    public static int datagramLength(long contextId, int payloadLength) {
        int value = HttpDatagram.encodedLength(contextId, payloadLength);
        return headerLength(CapsuleType.DATAGRAM, value) + value;
    }

    /**
     * Writes a DATAGRAM capsule (RFC 9297 §3.5, Type 0x00) whose HTTP Datagram Payload is
     * {@code contextId} and the remaining bytes of {@code payload} (RFC 9298 §5, RFC 9484 §6),
     * without allocating; {@code payload}'s position does not move.
     */
    public static void writeDatagram(ByteBuffer dst, long contextId, ByteBuffer payload) {
        int value = HttpDatagram.encodedLength(contextId, payload.remaining());
        checkRoom(dst, headerLength(CapsuleType.DATAGRAM, value) + value);
        QuicVarint.write(dst, CapsuleType.DATAGRAM);
        QuicVarint.write(dst, value);
        HttpDatagram.write(dst, contextId, payload);
    }

    private static void checkRoom(ByteBuffer dst, int needed) {
        if (dst.remaining() < needed) throw new BufferOverflowException();
    }
}
