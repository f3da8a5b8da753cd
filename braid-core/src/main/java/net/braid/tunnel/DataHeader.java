package net.braid.tunnel;

import java.nio.ByteBuffer;

/**
 * The 20-byte header of data (type 4) and control (type 5) messages, authenticated as the AEAD's
 * associated data. Layout (docs/protocol.md §4), all big-endian:
 *
 * <pre>
 *  0      1      2             4                 8                         16              20
 *  +------+------+-------------+-----------------+-------------------------+---------------+
 *  | type | flags|   path id   | receiver index  |  counter (nonce, replay) | path sequence |
 *  +------+------+-------------+-----------------+-------------------------+---------------+
 * </pre>
 *
 * The path id and per-path sequence carry the multipath congestion feedback; a single-path
 * tunnel sends path 0 with a sequence counting up by one.
 */
public final class DataHeader {
    public static final byte TYPE_DATA = 4;
    public static final byte TYPE_CONTROL = 5;
    public static final int BYTES = 20;
    public static final int OVERHEAD = BYTES + 16; // header + Poly1305 tag

    public static final int OFF_TYPE = 0;
    public static final int OFF_FLAGS = 1;
    public static final int OFF_PATH = 2;
    public static final int OFF_RECEIVER = 4;
    public static final int OFF_COUNTER = 8;
    public static final int OFF_PATH_SEQ = 16;

    private DataHeader() {}

    /** Writes the header at the buffer's position and advances it by {@link #BYTES}. */
    public static void write(ByteBuffer b, byte type, int flags, int pathId, int receiverIndex, long counter, int pathSeq) {
        b.put(type).put((byte) flags).putShort((short) pathId).putInt(receiverIndex).putLong(counter).putInt(pathSeq);
    }

    public static int receiverIndex(ByteBuffer b) { return b.getInt(b.position() + OFF_RECEIVER); }
    public static long counter(ByteBuffer b) { return b.getLong(b.position() + OFF_COUNTER); }
    public static int pathId(ByteBuffer b) { return b.getShort(b.position() + OFF_PATH) & 0xffff; }
    public static int pathSequence(ByteBuffer b) { return b.getInt(b.position() + OFF_PATH_SEQ); }
    public static int flags(ByteBuffer b) { return b.get(b.position() + OFF_FLAGS) & 0xff; }
}
