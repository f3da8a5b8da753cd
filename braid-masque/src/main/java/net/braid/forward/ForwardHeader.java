package net.braid.forward;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The bytes that open a braid-forward/1 QUIC stream (docs/forward.md §2). Pure codec: works on
 * buffers only.
 *
 * <pre>
 * request  (client → listener): version (1 byte, 0x01) | token length (1 byte) | token (UTF-8)
 * response (listener → client): status (1 byte, 0 = OK) and, when status ≠ 0,
 *                               reason length (1 byte) | reason (UTF-8)
 * </pre>
 */
public final class ForwardHeader {
    public static final int VERSION = 1;
    public static final int MAX_TOKEN_BYTES = 255;
    static final int MAX_REASON_BYTES = 255;

    private ForwardHeader() {}

    /** The listener's answer: {@link Status#OK} lets bytes flow; anything else comes with a reason. */
    public record Response(Status status, String reason) {
        public static final Response OK = new Response(Status.OK, "");
    }

    /** Status codes of the response byte. */
    public enum Status {
        OK(0), BAD_VERSION(1), BAD_TOKEN(2), TARGET_UNREACHABLE(3), TOO_MANY_CONNECTIONS(4);

        final int code;

        Status(int code) {
            this.code = code;
        }

        static Status of(int code) {
            for (Status s : values()) if (s.code == code) return s;
            throw new IllegalArgumentException("unknown status " + code);
        }
    }

    /** Thrown for bytes that are not a braid-forward/1 header. */
    public static final class MalformedHeaderException extends Exception {
        public MalformedHeaderException(String message) {
            super(message);
        }
    }

    public static void writeRequest(ByteBuf out, String token) {
        byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_TOKEN_BYTES) throw new IllegalArgumentException("token longer than 255 bytes");
        out.writeByte(VERSION).writeByte(bytes.length).writeBytes(bytes);
    }

    /**
     * Reads a request's token, or returns null and consumes nothing while it is incomplete.
     *
     * @throws MalformedHeaderException when the version byte is not 1
     */
    public static String readRequest(ByteBuf in) throws MalformedHeaderException {
        if (in.readableBytes() < 1) return null;
        int version = in.getUnsignedByte(in.readerIndex());
        if (version != VERSION) throw new MalformedHeaderException("unknown braid-forward version " + version);
        if (in.readableBytes() < 2) return null;
        int length = in.getUnsignedByte(in.readerIndex() + 1);
        if (in.readableBytes() < 2 + length) return null;
        String token = in.toString(in.readerIndex() + 2, length, StandardCharsets.UTF_8);
        in.skipBytes(2 + length);
        return token;
    }

    public static void writeResponse(ByteBuf out, Response response) {
        out.writeByte(response.status().code);
        if (response.status() == Status.OK) return;
        byte[] reason = truncate(response.reason());
        out.writeByte(reason.length).writeBytes(reason);
    }

    /** Reads a response, or returns null and consumes nothing while it is incomplete. */
    public static Response readResponse(ByteBuf in) throws MalformedHeaderException {
        if (in.readableBytes() < 1) return null;
        Status status;
        try {
            status = Status.of(in.getUnsignedByte(in.readerIndex()));
        } catch (IllegalArgumentException e) {
            throw new MalformedHeaderException(e.getMessage());
        }
        if (status == Status.OK) {
            in.skipBytes(1);
            return Response.OK;
        }
        if (in.readableBytes() < 2) return null;
        int length = in.getUnsignedByte(in.readerIndex() + 1);
        if (in.readableBytes() < 2 + length) return null;
        String reason = in.toString(in.readerIndex() + 2, length, StandardCharsets.UTF_8);
        in.skipBytes(2 + length);
        return new Response(status, reason);
    }

    /** At most 255 bytes of UTF-8, cut on a character boundary. */
    private static byte[] truncate(String reason) {
        String s = reason;
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        while (bytes.length > MAX_REASON_BYTES) {
            s = s.substring(0, s.length() - 1);
            bytes = s.getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
    }
}
