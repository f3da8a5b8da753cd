package net.braid.multipath;

/**
 * Running minimum or maximum over a sliding window of time (or of round trips), in constant
 * space: Kathleen Nichols' three-sample estimator as in Linux lib/win_minmax.c, used by BBR for
 * the bottleneck bandwidth and for the minimum RTT.
 */
public final class WindowedFilter {
    private final boolean max;
    private final long window;
    private final long[] t = new long[3];
    private final long[] v = new long[3];
    private boolean empty = true;

    private WindowedFilter(boolean max, long window) {
        if (window <= 0) throw new IllegalArgumentException("window " + window);
        this.max = max;
        this.window = window;
    }

    public static WindowedFilter max(long window) { return new WindowedFilter(true, window); }

    public static WindowedFilter min(long window) { return new WindowedFilter(false, window); }

    public boolean isEmpty() { return empty; }

    /** The best value in the window; 0 when empty. */
    public long get() { return empty ? 0 : v[0]; }

    public void reset() { empty = true; }

    /** Adds a sample taken at {@code time} (which must not go backwards) and returns the new best. */
    public long update(long time, long value) {
        if (empty || better(value, v[0]) || time - t[2] > window) {
            for (int i = 0; i < 3; i++) { t[i] = time; v[i] = value; }
            empty = false;
            return value;
        }
        if (better(value, v[1])) {
            t[2] = t[1] = time;
            v[2] = v[1] = value;
        } else if (better(value, v[2])) {
            t[2] = time;
            v[2] = value;
        }
        long dt = time - t[0];
        if (dt > window) {
            // The best has expired: promote the second and third choices.
            shift(time, value);
            if (time - t[0] > window) shift(time, value);
        } else if (t[1] == t[0] && dt > window / 4) {
            t[2] = t[1] = time;
            v[2] = v[1] = value;
        } else if (t[2] == t[1] && dt > window / 2) {
            t[2] = time;
            v[2] = value;
        }
        return v[0];
    }

    private void shift(long time, long value) {
        t[0] = t[1]; v[0] = v[1];
        t[1] = t[2]; v[1] = v[2];
        t[2] = time; v[2] = value;
    }

    private boolean better(long a, long b) {
        return max ? a >= b : a <= b;
    }
}
