package net.braid.masque.codec;

import java.nio.ByteBuffer;

/**
 * DATAGRAM capsule (RFC 9297 §3.5): an HTTP Datagram carried on the request stream itself.
 * Its value is the whole HTTP Datagram Payload; for MASQUE that starts with the Context ID
 * ({@link HttpDatagram}).
 *
 * <p>The record is the convenient form. The parser hands DATAGRAM payloads to
 * {@link CapsuleHandler#onDatagram} without creating one, and
 * {@link CapsuleWriter#writeDatagram} writes one without it.
 *
 * @param payload the HTTP Datagram Payload: the buffer's remaining bytes, not moved by writing
 */
public record DatagramCapsule(ByteBuffer payload) implements Capsule {

    public DatagramCapsule {
        if (payload == null) throw new IllegalArgumentException("payload is null");
    }

    @Override
    public long type() {
        return CapsuleType.DATAGRAM;
    }

    @Override
    public int valueLength() {
        return payload.remaining();
    }

    @Override
    public void writeValue(ByteBuffer dst) {
        int n = payload.remaining();
        dst.put(dst.position(), payload, payload.position(), n);
        dst.position(dst.position() + n);
    }
}
