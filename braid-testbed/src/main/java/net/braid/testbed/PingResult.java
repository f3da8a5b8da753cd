package net.braid.testbed;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The summary lines of an iputils ping run.
 *
 * @param rttAvgMs the average round-trip time, NaN when no reply came back
 */
public record PingResult(int transmitted, int received, double rttAvgMs) {
    private static final Pattern COUNTS = Pattern.compile("(\\d+) packets transmitted, (\\d+) (?:packets )?received");
    private static final Pattern RTT = Pattern.compile("(?:rtt|round-trip) min/avg/max(?:/mdev)? = [\\d.]+/([\\d.]+)/");

    public static PingResult parse(String output) {
        Matcher counts = COUNTS.matcher(output);
        if (!counts.find()) {
            throw new TestbedException("ping printed no statistics:\n" + output.strip());
        }
        Matcher rtt = RTT.matcher(output);
        double average = rtt.find() ? Double.parseDouble(rtt.group(1)) : Double.NaN;
        return new PingResult(Integer.parseInt(counts.group(1)), Integer.parseInt(counts.group(2)), average);
    }

    public boolean allReceived() {
        return transmitted > 0 && received == transmitted;
    }

    public double lossPercent() {
        return transmitted == 0 ? 100 : 100.0 * (transmitted - received) / transmitted;
    }
}
