package net.braid.masque.codec;

/**
 * A capsule stream that breaks RFC 9297 or RFC 9484: the receiver aborts the request stream
 * with {@link CapsuleError#h3ErrorCode()}. The message names the rule and the offending values.
 */
public final class MalformedCapsuleException extends Exception {

    private final CapsuleError error;

    public MalformedCapsuleException(CapsuleError error, String detail) {
        super(detail == null || detail.isEmpty() ? error.reason() : error.reason() + ": " + detail);
        this.error = error;
    }

    public CapsuleError error() {
        return error;
    }
}
