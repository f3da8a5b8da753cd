package net.braid.packet;

/**
 * Thrown by the record-level parsers (not used on the per-packet path, which returns a
 * {@link DropReason} instead) when bytes do not form the expected packet.
 */
public final class MalformedPacketException extends Exception {
    private final DropReason reason;

    public MalformedPacketException(DropReason reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    public DropReason reason() {
        return reason;
    }
}
