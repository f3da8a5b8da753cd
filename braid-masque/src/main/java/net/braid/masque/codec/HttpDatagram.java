package net.braid.masque.codec;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * An HTTP Datagram as MASQUE uses it: a Context ID and a payload (RFC 9298 §5, RFC 9484 §6),
 * plus the Quarter Stream ID that prefixes it inside a QUIC DATAGRAM frame (RFC 9297 §2.1).
 *
 * <pre>
 * HTTP/3 Datagram {                   MASQUE HTTP Datagram Payload {
 *   Quarter Stream ID (i),              Context ID (i),
 *   HTTP Datagram Payload (..),         Payload (..),
 * }                                   }
 * </pre>
 *
 * <p>The static readers and writers allocate nothing: a reader advances the buffer past its
 * field, so what remains is the next field; writers throw {@link BufferOverflowException}, before
 * writing anything, when {@code dst} lacks room; {@link #decode} and {@link #decodeQuic} are the
 * convenient form whose payload is a slice sharing the input's memory.
 *
 * @param contextId the Context ID, 0..2^62-1; 0 carries a UDP payload (RFC 9298 §5) or a full
 *     IP packet (RFC 9484 §6)
 * @param payload the bytes after the Context ID, a view of the decoded buffer (not a copy)
 */
public record HttpDatagram(long contextId, ByteBuffer payload) {

    /** Context ID 0: the payload is a UDP payload (RFC 9298 §5) or an IP packet (RFC 9484 §6). */
    public static final long PROXIED_PAYLOAD_CONTEXT_ID = 0;

    /** The largest Quarter Stream ID: the largest stream ID 2^62-1 divided by 4 (RFC 9297 §2.1). */
    public static final long MAX_QUARTER_STREAM_ID = (1L << 60) - 1;

    public HttpDatagram {
        if (contextId < 0 || contextId > QuicVarint.MAX) {
            throw new IllegalArgumentException("Context ID out of range 0..2^62-1: " + contextId);
        }
    }

    /** A decoded QUIC DATAGRAM frame payload: which request stream, and the datagram on it. */
    public record OnStream(long quarterStreamId, HttpDatagram datagram) {
        public long streamId() {
            return HttpDatagram.streamId(quarterStreamId);
        }
    }

    /**
     * The Quarter Stream ID of a request stream: its ID divided by four, because HTTP requests
     * travel on client-initiated bidirectional streams, whose IDs are multiples of 4 (RFC 9297
     * §2.1).
     */
    public static long quarterStreamId(long streamId) {
        if (streamId < 0 || streamId > QuicVarint.MAX || (streamId & 3) != 0) {
            throw new IllegalArgumentException("not a client-initiated bidirectional stream ID: " + streamId);
        }
        return streamId >>> 2;
    }

    /** The request stream ID a Quarter Stream ID names. */
    public static long streamId(long quarterStreamId) {
        if (quarterStreamId < 0 || quarterStreamId > MAX_QUARTER_STREAM_ID) {
            throw new IllegalArgumentException("Quarter Stream ID out of range 0..2^60-1: " + quarterStreamId);
        }
        return quarterStreamId << 2;
    }

    /** Bytes taken by the Quarter Stream ID and Context ID in front of the payload. */
    public static int quicHeaderLength(long quarterStreamId, long contextId) {
        return QuicVarint.length(checkQuarterStreamId(quarterStreamId)) + QuicVarint.length(contextId);
    }

    /** Writes the Quarter Stream ID (RFC 9297 §2.1) then the Context ID; the payload follows. */
    public static void writeQuicHeader(ByteBuffer dst, long quarterStreamId, long contextId) {
        QuicVarint.write(dst, checkQuarterStreamId(quarterStreamId));
        QuicVarint.write(dst, contextId);
    }

    /**
     * Writes a whole QUIC DATAGRAM frame payload: Quarter Stream ID, Context ID and the
     * remaining bytes of {@code payload}, whose position does not move.
     */
    public static void writeQuic(ByteBuffer dst, long quarterStreamId, long contextId, ByteBuffer payload) {
        checkRoom(dst, quicHeaderLength(quarterStreamId, contextId) + payload.remaining());
        writeQuicHeader(dst, quarterStreamId, contextId);
        putRemaining(dst, payload);
    }

    /**
     * Writes an HTTP Datagram Payload as MASQUE defines it (RFC 9298 §5, RFC 9484 §6): the
     * Context ID, then the remaining bytes of {@code payload}, whose position does not move.
     * This is also the value of a DATAGRAM capsule (RFC 9297 §3.5).
     */
    public static void write(ByteBuffer dst, long contextId, ByteBuffer payload) {
        checkRoom(dst, encodedLength(contextId, payload.remaining()));
        QuicVarint.write(dst, contextId);
        putRemaining(dst, payload);
    }

    /** The encoded length of {@link #write}'s output. */
    public static int encodedLength(long contextId, int payloadLength) {
        return QuicVarint.length(contextId) + payloadLength;
    }

    /**
     * Reads the Quarter Stream ID at the start of a QUIC DATAGRAM frame payload and advances
     * past it, leaving the HTTP Datagram Payload.
     *
     * @throws MalformedDatagramException when it is truncated, or above 2^60-1 (a connection
     *     error of type H3_DATAGRAM_ERROR, RFC 9297 §2.1)
     */
    public static long readQuarterStreamId(ByteBuffer frame) throws MalformedDatagramException {
        long q = QuicVarint.read(frame);
        if (q == QuicVarint.NEED_MORE) throw new MalformedDatagramException(DatagramError.TRUNCATED_QUARTER_STREAM_ID);
        if (q > MAX_QUARTER_STREAM_ID) throw new MalformedDatagramException(DatagramError.QUARTER_STREAM_ID_TOO_LARGE);
        return q;
    }

    /**
     * Reads the Context ID at the start of an HTTP Datagram Payload and advances past it,
     * leaving the payload.
     *
     * @throws MalformedDatagramException when the buffer ends inside the Context ID
     */
    public static long readContextId(ByteBuffer httpDatagramPayload) throws MalformedDatagramException {
        long id = QuicVarint.read(httpDatagramPayload);
        if (id == QuicVarint.NEED_MORE) throw new MalformedDatagramException(DatagramError.TRUNCATED_CONTEXT_ID);
        return id;
    }

    /**
     * Decodes an HTTP Datagram Payload (for example a DATAGRAM capsule's value) into its
     * Context ID and a slice of the rest; {@code src}'s position ends at its limit.
     */
    public static HttpDatagram decode(ByteBuffer src) throws MalformedDatagramException {
        long contextId = readContextId(src);
        ByteBuffer payload = src.slice();
        src.position(src.limit());
        return new HttpDatagram(contextId, payload);
    }

    /** Decodes a whole QUIC DATAGRAM frame payload; the datagram's payload is a slice of it. */
    public static OnStream decodeQuic(ByteBuffer frame) throws MalformedDatagramException {
        long q = readQuarterStreamId(frame);
        return new OnStream(q, decode(frame));
    }

    private static long checkQuarterStreamId(long quarterStreamId) {
        if (quarterStreamId < 0 || quarterStreamId > MAX_QUARTER_STREAM_ID) {
            throw new IllegalArgumentException("Quarter Stream ID out of range 0..2^60-1: " + quarterStreamId);
        }
        return quarterStreamId;
    }

    private static void checkRoom(ByteBuffer dst, int needed) {
        // Checked up front so a short buffer is left untouched rather than half written.
        if (dst.remaining() < needed) throw new BufferOverflowException();
    }

    private static void putRemaining(ByteBuffer dst, ByteBuffer src) {
        int n = src.remaining();
        dst.put(dst.position(), src, src.position(), n);
        dst.position(dst.position() + n);
    }
}
