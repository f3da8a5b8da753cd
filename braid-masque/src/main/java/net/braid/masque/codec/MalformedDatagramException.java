package net.braid.masque.codec;

/** An HTTP Datagram that does not decode; {@link #error()} says why and what to do about it. */
public final class MalformedDatagramException extends Exception {

    private final DatagramError error;

    public MalformedDatagramException(DatagramError error) {
        // No stack trace: raised per packet from a peer's bytes, so it must stay cheap.
        super(error.reason(), null, false, false);
        this.error = error;
    }

    public DatagramError error() {
        return error;
    }
}
