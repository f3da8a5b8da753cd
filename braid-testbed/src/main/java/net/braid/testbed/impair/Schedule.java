package net.braid.testbed.impair;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Relay commands to apply at offsets from a start, e.g. a link lost and regained mid-test:
 *
 * <pre>{@code
 * Schedule schedule = Schedule.parse("3s rate 10mbit; 5s cut; 10s restore");
 * try (ScheduleRun run = schedule.start(relay)) { ... run iperf3 for 15 s ... }
 * }</pre>
 *
 * Commands are checked when the schedule is built, so a typo fails before the benchmark starts.
 * Steps with the same offset run in the order given.
 */
public record Schedule(List<Step> steps) {

    /** One command at an offset from the start. */
    public record Step(Duration at, String command) {
        public Step {
            Objects.requireNonNull(at, "at");
            if (at.isNegative()) {
                throw new IllegalArgumentException("offset must not be negative: " + at);
            }
            RelayCommand.parse(command);
            command = command.strip();
        }

        @Override
        public String toString() {
            return Units.formatDuration(at) + " " + command;
        }
    }

    public Schedule {
        List<Step> sorted = new ArrayList<>(steps);
        sorted.sort(Comparator.comparing(Step::at)); // stable: equal offsets keep their order
        steps = List.copyOf(sorted);
    }

    public static Schedule empty() {
        return new Schedule(List.of());
    }

    /** This schedule plus {@code command} at {@code at}. */
    public Schedule at(Duration at, String command) {
        List<Step> more = new ArrayList<>(steps);
        more.add(new Step(at, command));
        return new Schedule(more);
    }

    /** Steps written {@code OFFSET COMMAND}, separated by ';' or new lines: {@code "5s cut; 10s restore"}. */
    public static Schedule parse(String text) {
        List<Step> steps = new ArrayList<>();
        for (String part : text.split("[;\\n]")) {
            String step = part.strip();
            if (step.isEmpty() || step.startsWith("#")) {
                continue;
            }
            String[] offsetAndCommand = step.split("\\s+", 2);
            if (offsetAndCommand.length < 2) {
                throw new IllegalArgumentException("schedule step needs an offset and a command: " + step);
            }
            steps.add(new Step(Units.parseDuration(offsetAndCommand[0]), offsetAndCommand[1]));
        }
        return new Schedule(steps);
    }

    /** The offset of the last step. */
    public Duration length() {
        return steps.isEmpty() ? Duration.ZERO : steps.getLast().at();
    }

    /** Starts applying the steps to {@code target}, counting offsets from now. */
    public ScheduleRun start(ImpairmentControl target) {
        return new ScheduleRun(this, target);
    }

    @Override
    public String toString() {
        return String.join("; ", steps.stream().map(Step::toString).toList());
    }
}
