package net.braid.multipath;

/** Liveness of a path as {@link PathLiveness} sees it. */
public enum PathStatus {
    /** Heard from recently: carries traffic. */
    UP,
    /** Quiet for a while: still carries traffic, and keepalives ask it to prove itself. */
    SUSPECT,
    /** Quiet too long: carries nothing but probes, sent with exponential backoff. */
    DOWN,
    /** Answered a probe after being down; up after enough replies. */
    PROBING;

    /** Whether the scheduler may put traffic on the path. */
    public boolean carriesTraffic() {
        return this == UP || this == SUSPECT;
    }
}
