package net.braid.masque.h2;

/** A failure of braid's HTTP/2 layer, with a message that says which connection or stream and why. */
public final class H2Exception extends RuntimeException {
    public H2Exception(String message) {
        super(message);
    }

    public H2Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
