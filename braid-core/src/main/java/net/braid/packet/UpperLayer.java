package net.braid.packet;

/**
 * Where the upper-layer (transport) header of an IP packet is, packed into one {@code long} so
 * that finding it allocates nothing: protocol in bits 0–7, absolute buffer offset in bits 8–39,
 * fragment flags in bits 40–41. A negative value is a failure carrying a {@link DropReason}.
 */
public final class UpperLayer {
    private static final long FRAGMENT = 1L << 40;
    private static final long LATER_FRAGMENT = 1L << 41;
    private static final DropReason[] REASONS = DropReason.values();

    private UpperLayer() {}

    static long found(int protocol, int offset, boolean fragment, boolean laterFragment) {
        return (protocol & 0xFF) | (offset & 0xFFFF_FFFFL) << 8
                | (fragment ? FRAGMENT : 0) | (laterFragment ? LATER_FRAGMENT : 0);
    }

    static long failure(DropReason reason) {
        return -reason.ordinal();
    }

    /** True if the walk failed; {@link #reason} says why. */
    public static boolean failed(long v) {
        return v < 0;
    }

    public static DropReason reason(long v) {
        return v < 0 ? REASONS[(int) -v] : DropReason.NONE;
    }

    /** The upper-layer protocol number (also for a later fragment, whose header is elsewhere). */
    public static int protocol(long v) {
        return (int) (v & 0xFF);
    }

    /** Absolute offset in the buffer of the upper-layer header (of the fragment data for a later fragment). */
    public static int offset(long v) {
        return (int) (v >>> 8 & 0xFFFF_FFFFL);
    }

    /** True if the packet is a fragment (IPv4 MF or offset set; IPv6 Fragment header present). */
    public static boolean isFragment(long v) {
        return v >= 0 && (v & FRAGMENT) != 0;
    }

    /** True for a fragment with a non-zero offset: the upper-layer header is not in this packet. */
    public static boolean isLaterFragment(long v) {
        return v >= 0 && (v & LATER_FRAGMENT) != 0;
    }
}
