package net.braid.tunnel;

import java.nio.ByteBuffer;
import net.braid.crypto.Aead;

/**
 * Turns plaintext packets into data messages for a session and back (docs/protocol.md §4).
 * One per thread: it owns an AEAD instance and a scratch copy of the header for the AAD.
 */
final class Sealer {
    private final Aead aead = new Aead();
    private final byte[] header = new byte[DataHeader.BYTES];

    /**
     * Writes header and ciphertext of {@code packet} (position to limit; empty for a keepalive)
     * into {@code out}, which is flipped for sending.
     */
    void seal(Session s, ByteBuffer packet, ByteBuffer out) {
        long counter = s.sendCounter.getAndIncrement();
        out.clear();
        DataHeader.write(out, DataHeader.TYPE_DATA, 0, 0, s.remoteIndex, counter, (int) s.pathSequence.getAndIncrement());
        out.get(0, header);
        aead.seal(s.sendKey, counter, header, packet, out);
        out.flip();
    }

    /** Seals a data (type 4) or control (type 5) message for one path of a multipath peer. */
    void seal(Session s, byte type, int pathId, int pathSequence, ByteBuffer packet, ByteBuffer out) {
        long counter = s.sendCounter.getAndIncrement();
        out.clear();
        DataHeader.write(out, type, 0, pathId, s.remoteIndex, counter, pathSequence);
        out.get(0, header);
        aead.seal(s.sendKey, counter, header, packet, out);
        out.flip();
    }

    /**
     * Authenticates and decrypts a data message (position 0 to limit) into {@code plain}, which
     * is flipped. The message buffer's position is moved past the header.
     *
     * @return false when the tag does not verify
     */
    boolean open(Session s, long counter, ByteBuffer message, ByteBuffer plain) {
        message.get(0, header);
        message.position(DataHeader.BYTES);
        plain.clear();
        if (!aead.open(s.receiveKey, counter, header, message, plain)) return false;
        plain.flip();
        return true;
    }
}
