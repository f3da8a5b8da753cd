package net.braid.masque.h3;

/** A failure of braid's HTTP/3 layer, with a message that says which connection or stream and why. */
public final class H3Exception extends RuntimeException {
    public H3Exception(String message) {
        super(message);
    }

    public H3Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
