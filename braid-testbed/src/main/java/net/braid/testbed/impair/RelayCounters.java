package net.braid.testbed.impair;

import java.util.HashMap;
import java.util.Map;

/** Both directions' counters, written as the relay's {@code stats} command prints them. */
public record RelayCounters(DirectionCounters up, DirectionCounters down) {

    public DirectionCounters of(Direction direction) {
        return direction == Direction.UP ? up : down;
    }

    /** {@code up.received=N up.forwarded=N ... down.errors=N} on one line. */
    public String format() {
        return up.format("up.") + " " + down.format("down.");
    }

    /** Reads what {@link #format()} wrote; words without '=' (such as a leading "stats") are ignored. */
    public static RelayCounters parse(String line) {
        Map<String, Long> values = new HashMap<>();
        for (String word : line.strip().split("\\s+")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                values.put(word.substring(0, eq), Long.parseLong(word.substring(eq + 1)));
            }
        }
        return new RelayCounters(parse(values, "up."), parse(values, "down."));
    }

    private static DirectionCounters parse(Map<String, Long> values, String prefix) {
        return new DirectionCounters(
                require(values, prefix + "received"), require(values, prefix + "forwarded"), require(values, prefix + "duplicated"),
                require(values, prefix + "dropped_loss"), require(values, prefix + "dropped_queue"),
                require(values, prefix + "dropped_cut"), require(values, prefix + "errors"));
    }

    private static long require(Map<String, Long> values, String key) {
        Long value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("counter " + key + " missing in " + values.keySet());
        }
        return value;
    }
}
