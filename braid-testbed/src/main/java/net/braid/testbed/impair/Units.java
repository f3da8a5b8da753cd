package net.braid.testbed.impair;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The quantities of relay commands, written as tc writes them: times {@code 20ms 1.5ms 200us 2s},
 * rates {@code 50mbit 1gbit 500kbit 8000bit} (decimal), sizes {@code 1500b 64kb 1mb} (binary,
 * as tc's kb), percentages {@code 1% 0.5%}.
 */
final class Units {
    private static final Pattern NUMBER_UNIT = Pattern.compile("(\\d+(?:\\.\\d+)?)([a-z%]*)");

    private Units() {}

    static Duration parseDuration(String text) {
        Matcher m = match(text, "time (e.g. 20ms)");
        double value = Double.parseDouble(m.group(1));
        double nanos = switch (m.group(2)) {
            case "ns" -> value;
            case "us" -> value * 1e3;
            case "ms" -> value * 1e6;
            case "s" -> value * 1e9;
            default -> throw new IllegalArgumentException("unknown time unit in " + text + " (use ns, us, ms or s)");
        };
        return Duration.ofNanos(Math.round(nanos));
    }

    /** Bits per second; {@code off} and {@code 0} mean no limit (0). */
    static long parseRate(String text) {
        if (text.equalsIgnoreCase("off") || text.equals("0")) {
            return 0;
        }
        Matcher m = match(text, "rate (e.g. 50mbit)");
        double value = Double.parseDouble(m.group(1));
        double bits = switch (m.group(2)) {
            case "bit" -> value;
            case "kbit" -> value * 1e3;
            case "mbit" -> value * 1e6;
            case "gbit" -> value * 1e9;
            default -> throw new IllegalArgumentException("unknown rate unit in " + text + " (use bit, kbit, mbit or gbit)");
        };
        return Math.round(bits);
    }

    static long parseSize(String text) {
        Matcher m = match(text, "size (e.g. 64kb)");
        double value = Double.parseDouble(m.group(1));
        double bytes = switch (m.group(2)) {
            case "b", "" -> value;
            case "kb" -> value * 1024;
            case "mb" -> value * 1024 * 1024;
            default -> throw new IllegalArgumentException("unknown size unit in " + text + " (use b, kb or mb)");
        };
        return Math.round(bytes);
    }

    static double parsePercent(String text) {
        Matcher m = match(text, "percentage (e.g. 1%)");
        if (!m.group(2).equals("%")) {
            throw new IllegalArgumentException("percentage needs a % sign: " + text);
        }
        return Double.parseDouble(m.group(1));
    }

    static String formatDuration(Duration d) {
        long nanos = d.toNanos();
        if (nanos % 1_000_000 == 0) {
            return nanos / 1_000_000 + "ms";
        }
        if (nanos % 1_000 == 0) {
            return nanos / 1_000 + "us";
        }
        return nanos + "ns";
    }

    static String formatRate(long bitsPerSecond) {
        if (bitsPerSecond % 1_000_000_000 == 0) {
            return bitsPerSecond / 1_000_000_000 + "gbit";
        }
        if (bitsPerSecond % 1_000_000 == 0) {
            return bitsPerSecond / 1_000_000 + "mbit";
        }
        if (bitsPerSecond % 1_000 == 0) {
            return bitsPerSecond / 1_000 + "kbit";
        }
        return bitsPerSecond + "bit";
    }

    private static Matcher match(String text, String what) {
        Matcher m = NUMBER_UNIT.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a " + what + ": " + text);
        }
        return m;
    }
}
