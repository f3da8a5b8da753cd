package net.braid.bench;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The measurements of one case in one direction over all rounds, reduced to medians and the throughput range. */
record Summary(Subject subject, Direction direction, int runs, double mbps, double minMbps, double maxMbps,
               double retransmits, Optional<Double> cores, Optional<Double> cpuSecondsPerGigabyte) {

    static Summary of(Subject subject, Direction direction, List<Measurement> all) {
        List<Measurement> mine = all.stream().filter(m -> m.subject() == subject && m.direction() == direction).toList();
        if (mine.isEmpty()) {
            throw new IllegalArgumentException("no measurement of " + subject.label() + " " + direction.label());
        }
        List<Double> mbps = mine.stream().map(Measurement::mbps).sorted().toList();
        return new Summary(subject, direction, mine.size(), median(mbps), mbps.getFirst(), mbps.getLast(),
                median(mine.stream().map(m -> (double) m.retransmits()).sorted().toList()),
                optionalMedian(mine, Measurement::cores), optionalMedian(mine, Measurement::cpuSecondsPerGigabyte));
    }

    private static Optional<Double> optionalMedian(List<Measurement> runs, Function<Measurement, Optional<Double>> metric) {
        List<Double> values = runs.stream().map(metric).flatMap(Optional::stream).sorted().toList();
        return values.isEmpty() ? Optional.empty() : Optional.of(median(values));
    }

    /** The middle value, or the mean of the two middle ones; {@code sorted} must be sorted and not empty. */
    static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
