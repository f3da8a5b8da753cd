package net.braid.testbed.impair;

/** Which way a datagram crosses the relay: from the client to the target, or back. */
public enum Direction {
    /** Client to target. */
    UP("up"),
    /** Target to the last client heard from. */
    DOWN("down");

    private final String token;

    Direction(String token) {
        this.token = token;
    }

    /** The word used in relay commands and counter keys: {@code up} or {@code down}. */
    public String token() {
        return token;
    }
}
