package net.braid.bench;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The RTTs of one ping run (each reply's {@code time=}), sorted; for idle against loaded. */
record MultipathRtt(double[] sortedMs, int transmitted) {
    private static final Pattern TIME = Pattern.compile("time[=<]([0-9.]+) ?ms");
    private static final Pattern SENT = Pattern.compile("([0-9]+) packets transmitted");

    static MultipathRtt parse(String pingOutput) {
        Matcher m = TIME.matcher(pingOutput);
        double[] v = new double[0];
        int n = 0;
        while (m.find()) {
            if (n == v.length) v = Arrays.copyOf(v, Math.max(16, 2 * n));
            v[n++] = Double.parseDouble(m.group(1));
        }
        double[] sorted = Arrays.copyOf(v, n);
        Arrays.sort(sorted);
        Matcher s = SENT.matcher(pingOutput);
        return new MultipathRtt(sorted, s.find() ? Integer.parseInt(s.group(1)) : n);
    }

    int received() { return sortedMs.length; }

    /** The q-quantile (0..1) by nearest rank; NaN without replies. */
    double quantile(double q) {
        if (sortedMs.length == 0) return Double.NaN;
        int rank = (int) Math.ceil(q * sortedMs.length);
        return sortedMs[Math.clamp(rank - 1, 0, sortedMs.length - 1)];
    }

    double median() { return quantile(0.5); }
}
