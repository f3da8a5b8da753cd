package net.braid.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Throughput over time of one iperf3 run with {@code -i 0.1}, as its receiver saw it, and the
 * moments a link was cut and restored (seconds on the same clock). Answers issue 3's two timeline
 * targets: after a cut ≥ 90 % of the remaining link within 1 s, after the restore ≥ 90 % of the
 * sum within 3 s.
 *
 * @param start  interval starts, seconds since the flow began
 * @param mbps   receiver throughput in each interval
 */
record MultipathTimeline(double[] start, double[] mbps, double cutAt, double restoreAt) {

    /** An iperf3 interval's summary: {@code "sum": {"start": .., "end": .., "seconds": .., "bytes": .., "bits_per_second": ..}}. */
    private static final Pattern INTERVAL = Pattern.compile(
            "\"sum\"\\s*:\\s*\\{\\s*\"start\"\\s*:\\s*([0-9.eE+-]+)\\s*,\\s*\"end\"\\s*:\\s*([0-9.eE+-]+)\\s*,"
                    + "\\s*\"seconds\"\\s*:\\s*[0-9.eE+-]+\\s*,\\s*\"bytes\"\\s*:\\s*([0-9]+)");

    /** The end summary, an object; the intervals' own "end" keys hold numbers. */
    private static final Pattern END_OBJECT = Pattern.compile("\"end\"\\s*:\\s*\\{");

    /** The per-interval throughput of iperf3's {@code -J} report (its {@code intervals}, not the end summary). */
    static MultipathTimeline parse(String json, double cutAt, double restoreAt) {
        int from = Math.max(0, json.indexOf("\"intervals\""));
        Matcher summary = END_OBJECT.matcher(json);
        int end = summary.find(from) ? summary.start() : json.length();
        String intervals = json.substring(from, end);
        List<double[]> rows = new ArrayList<>();
        Matcher m = INTERVAL.matcher(intervals);
        while (m.find()) {
            double s = Double.parseDouble(m.group(1));
            double e = Double.parseDouble(m.group(2));
            long bytes = Long.parseLong(m.group(3));
            if (e > s) rows.add(new double[] {s, bytes * 8 / (e - s) / 1e6});
        }
        if (rows.isEmpty()) throw new IllegalArgumentException("no intervals in the iperf3 report");
        double[] st = new double[rows.size()];
        double[] mb = new double[rows.size()];
        for (int i = 0; i < st.length; i++) {
            st[i] = rows.get(i)[0];
            mb[i] = rows.get(i)[1];
        }
        return new MultipathTimeline(st, mb, cutAt, restoreAt);
    }

    /** Mean throughput of the intervals starting in {@code [from, to)}; NaN if there are none. */
    double mean(double from, double to) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < start.length; i++) {
            if (start[i] >= from && start[i] < to) {
                sum += mbps[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * Seconds from {@code event} until the throughput, averaged over 3 intervals (300 ms, so one
     * burst does not count), first reaches {@code level}, looking no further than {@code until};
     * NaN if it never does.
     */
    double secondsToReach(double event, double until, double level) {
        for (int i = 0; i + 2 < start.length; i++) {
            if (start[i] < event) continue;
            if (start[i] >= until) break;
            if ((mbps[i] + mbps[i + 1] + mbps[i + 2]) / 3 >= level) return start[i] - event;
        }
        return Double.NaN;
    }

    double end() {
        return start.length == 0 ? 0 : start[start.length - 1] + (start.length > 1 ? start[1] - start[0] : 0.1);
    }
}
