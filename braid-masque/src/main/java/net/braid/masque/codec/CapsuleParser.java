package net.braid.masque.codec;

import java.nio.ByteBuffer;

/**
 * Streaming parser of the Capsule Protocol on one request stream (RFC 9297 §3.2): the stream's
 * data (the concatenated DATA frame payloads in HTTP/3) is a sequence of
 *
 * <pre>
 * Capsule {
 *   Capsule Type (i),
 *   Capsule Length (i),
 *   Capsule Value (..),
 * }
 * </pre>
 *
 * fed in chunks of any size: a chunk may hold many capsules, and a capsule may span many
 * chunks. Completed capsules go to a {@link CapsuleHandler}.
 *
 * <ul>
 *   <li>A capsule wholly inside one chunk is handed over as a view of that chunk, without
 *       copying or allocating; one that spans chunks is reassembled in a buffer the parser
 *       reuses (grown, up to the maximum, when a longer capsule arrives).
 *   <li>Unknown types are skipped without buffering, whatever their length (RFC 9297 §3.2).
 *   <li>A known capsule longer than {@code maxCapsuleLength} is malformed, except a DATAGRAM,
 *       which by default is discarded unbuffered, as RFC 9297 §3.5 recommends for a length
 *       "so large as to not be usable".
 *   <li>Malformed input raises {@link MalformedCapsuleException}; the caller aborts the stream
 *       with {@link CapsuleError#h3ErrorCode()}. The parser then stays failed: every later
 *       call raises the same exception.
 * </ul>
 *
 * <p>Not thread-safe: one parser per stream, fed by one thread at a time.
 */
public final class CapsuleParser {

    /** What happens to a DATAGRAM capsule longer than the maximum. */
    public enum OversizedDatagram {
        /** Skip it unbuffered and report it to {@link CapsuleHandler#onSkipped} (RFC 9297 §3.5). */
        DISCARD,
        /** Fail with {@link CapsuleError#CAPSULE_TOO_LONG}, like any other known capsule. */
        MALFORMED
    }

    /** Room for the largest IP packet (65535 bytes) plus an 8-byte Context ID. */
    public static final int DEFAULT_MAX_CAPSULE_LENGTH = 65_535 + 8;

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();
    private static final int HEADER = 0;
    private static final int VALUE = 1;
    private static final int SKIP = 2;

    private final int maxCapsuleLength;
    private final OversizedDatagram oversizedDatagram;

    // Type and Length are at most 8 bytes each; a header split across chunks collects here.
    private final byte[] header = new byte[16];
    private final ByteBuffer headerView = ByteBuffer.wrap(header);
    private int headerFill;

    private int state = HEADER;
    private long type;
    private int valueLength;
    private long skipRemaining;
    private ByteBuffer reassembly = EMPTY;
    private MalformedCapsuleException failure;

    public CapsuleParser() {
        this(DEFAULT_MAX_CAPSULE_LENGTH, OversizedDatagram.DISCARD);
    }

    /**
     * @param maxCapsuleLength the longest Capsule Value of a known type the parser will buffer
     * @param oversizedDatagram what to do with a longer DATAGRAM capsule
     */
    public CapsuleParser(int maxCapsuleLength, OversizedDatagram oversizedDatagram) {
        if (maxCapsuleLength < 0) throw new IllegalArgumentException("maxCapsuleLength < 0: " + maxCapsuleLength);
        if (oversizedDatagram == null) throw new IllegalArgumentException("oversizedDatagram is null");
        this.maxCapsuleLength = maxCapsuleLength;
        this.oversizedDatagram = oversizedDatagram;
    }

    public int maxCapsuleLength() {
        return maxCapsuleLength;
    }

    /**
     * Parses all remaining bytes of {@code chunk}, handing each completed capsule to
     * {@code handler}; a partial capsule at the end is kept for the next call. On return the
     * chunk's position is at its limit.
     *
     * @throws MalformedCapsuleException when the stream is malformed; the position is then
     *     unspecified and the stream must be aborted
     */
    public void feed(ByteBuffer chunk, CapsuleHandler handler) throws MalformedCapsuleException {
        if (failure != null) throw failure;
        try {
            while (chunk.hasRemaining()) {
                switch (state) {
                    case HEADER -> readHeader(chunk, handler);
                    case VALUE -> readValue(chunk, handler);
                    default -> skip(chunk);
                }
            }
        } catch (MalformedCapsuleException e) {
            failure = e;
            throw e;
        }
    }

    /**
     * Ends the stream (FIN received). A stream that ends inside a capsule is malformed (RFC
     * 9297 §3.3).
     */
    public void finish() throws MalformedCapsuleException {
        if (failure != null) throw failure;
        if (!atCapsuleBoundary()) {
            failure = new MalformedCapsuleException(CapsuleError.TRUNCATED_STREAM, describePartial());
            throw failure;
        }
    }

    /** True when no partial capsule is pending: the bytes fed so far end on a boundary. */
    public boolean atCapsuleBoundary() {
        return state == HEADER && headerFill == 0;
    }

    private void readHeader(ByteBuffer chunk, CapsuleHandler handler) throws MalformedCapsuleException {
        if (headerFill == 0) {
            // Fast path: the whole header lies in this chunk.
            int p = chunk.position();
            long t = QuicVarint.get(chunk, p);
            if (t != QuicVarint.NEED_MORE) {
                int typeBytes = QuicVarint.lengthOfFirstByte(chunk.get(p));
                long len = QuicVarint.get(chunk, p + typeBytes);
                if (len != QuicVarint.NEED_MORE) {
                    chunk.position(p + typeBytes + QuicVarint.lengthOfFirstByte(chunk.get(p + typeBytes)));
                    startCapsule(t, len, handler);
                    return;
                }
            }
        }
        // Slow path: collect the header byte by byte until both varints are complete.
        header[headerFill++] = chunk.get();
        int typeBytes = QuicVarint.lengthOfFirstByte(header[0]);
        if (headerFill <= typeBytes) return;
        int lengthBytes = QuicVarint.lengthOfFirstByte(header[typeBytes]);
        if (headerFill < typeBytes + lengthBytes) return;
        long t = QuicVarint.get(headerView, 0);
        long len = QuicVarint.get(headerView, typeBytes);
        headerFill = 0;
        startCapsule(t, len, handler);
    }

    private void startCapsule(long t, long len, CapsuleHandler handler) throws MalformedCapsuleException {
        type = t;
        if (!CapsuleType.isKnown(t)) {
            // RFC 9297 §3.2: an unknown Capsule Type is silently dropped, at any length.
            beginSkip(t, len, handler);
            return;
        }
        if (len > maxCapsuleLength) {
            if (t == CapsuleType.DATAGRAM && oversizedDatagram == OversizedDatagram.DISCARD) {
                beginSkip(t, len, handler);
                return;
            }
            throw new MalformedCapsuleException(CapsuleError.CAPSULE_TOO_LONG,
                    CapsuleType.name(t) + " of " + len + " bytes, maximum " + maxCapsuleLength);
        }
        valueLength = (int) len;
        if (valueLength == 0) {
            // Complete already, even if the chunk ends here.
            state = HEADER;
            deliver(EMPTY, handler);
        } else {
            state = VALUE;
        }
    }

    private void beginSkip(long t, long len, CapsuleHandler handler) {
        skipRemaining = len;
        state = len == 0 ? HEADER : SKIP;
        handler.onSkipped(t, len);
    }

    private void readValue(ByteBuffer chunk, CapsuleHandler handler) throws MalformedCapsuleException {
        int start = chunk.position();
        if (reassembly.position() == 0 && chunk.remaining() >= valueLength) {
            // Zero-copy: narrow the chunk to the value for the handler, then restore it.
            int limit = chunk.limit();
            int end = start + valueLength;
            state = HEADER;
            try {
                chunk.limit(end);
                deliver(chunk, handler);
            } finally {
                chunk.limit(limit);
                chunk.position(end);
            }
            return;
        }
        if (reassembly.capacity() < valueLength) {
            reassembly = ByteBuffer.allocate(Math.min(maxCapsuleLength, Math.max(valueLength, 2 * reassembly.capacity())));
        }
        int n = Math.min(valueLength - reassembly.position(), chunk.remaining());
        reassembly.put(reassembly.position(), chunk, start, n);
        reassembly.position(reassembly.position() + n);
        chunk.position(start + n);
        if (reassembly.position() == valueLength) {
            state = HEADER;
            reassembly.flip();
            try {
                deliver(reassembly, handler);
            } finally {
                reassembly.clear();
            }
        }
    }

    private void skip(ByteBuffer chunk) {
        int n = (int) Math.min(skipRemaining, chunk.remaining());
        chunk.position(chunk.position() + n);
        skipRemaining -= n;
        if (skipRemaining == 0) state = HEADER;
    }

    /** Hands one complete value, {@code value}'s remaining bytes, to the handler. */
    private void deliver(ByteBuffer value, CapsuleHandler handler) throws MalformedCapsuleException {
        if (type == CapsuleType.DATAGRAM) {
            handler.onDatagram(value);
        } else if (type == CapsuleType.ADDRESS_ASSIGN) {
            handler.onAddressAssign(AddressAssign.decode(value));
        } else if (type == CapsuleType.ADDRESS_REQUEST) {
            handler.onAddressRequest(AddressRequest.decode(value));
        } else {
            handler.onRouteAdvertisement(RouteAdvertisement.decode(value));
        }
    }

    private String describePartial() {
        return switch (state) {
            case HEADER -> headerFill + " bytes of a capsule header";
            case VALUE -> CapsuleType.name(type) + " with " + reassembly.position() + " of " + valueLength + " value bytes";
            default -> "skipped capsule " + CapsuleType.name(type) + " missing " + skipRemaining + " bytes";
        };
    }
}
