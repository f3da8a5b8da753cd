package net.braid.testbed.impair;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One line of the relay's command language, as read from the relay process's stdin, sent by
 * {@link ImpairmentControl#command} and listed in a {@link Schedule}:
 *
 * <pre>
 * [up|down|both] cut | restore
 * [up|down|both] delay 20ms
 * [up|down|both] jitter 5ms [uniform|normal]
 * [up|down|both] reorder on|off
 * [up|down|both] loss 1%  |  loss gemodel P% R%     (Gilbert burst loss, as netem)
 * [up|down|both] rate 50mbit | rate off
 * [up|down|both] queue 64kb                         (0 = 50 ms at the rate)
 * [up|down|both] duplicate 0.5%
 * stats | show
 * </pre>
 *
 * Without a direction a command applies to both; {@code up} is client to target. Units are
 * {@link Units}'. Words are case-insensitive; {@code #} starts a comment.
 */
public sealed interface RelayCommand {

    static RelayCommand parse(String line) {
        String text = line.strip();
        int hash = text.indexOf('#');
        if (hash >= 0) {
            text = text.substring(0, hash).strip();
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        List<String> words = Arrays.asList(text.toLowerCase(Locale.ROOT).split("\\s+"));
        Set<Direction> dirs = Set.of(Direction.UP, Direction.DOWN);
        boolean directed = true;
        switch (words.getFirst()) {
            case "up" -> dirs = Set.of(Direction.UP);
            case "down" -> dirs = Set.of(Direction.DOWN);
            case "both" -> { }
            default -> directed = false;
        }
        List<String> rest = directed ? words.subList(1, words.size()) : words;
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("missing command after direction: " + line);
        }
        String verb = rest.getFirst();
        List<String> args = rest.subList(1, rest.size());
        return switch (verb) {
            case "cut" -> { noArgs(verb, args); yield new Cut(dirs); }
            case "restore" -> { noArgs(verb, args); yield new Restore(dirs); }
            case "stats" -> { noArgs(verb, args); undirected(verb, directed); yield new Stats(); }
            case "show" -> { noArgs(verb, args); undirected(verb, directed); yield new Show(); }
            case "delay" -> new Change(dirs, new Setting.Delay(Units.parseDuration(one(verb, args))));
            case "jitter" -> new Change(dirs, jitter(args));
            case "reorder" -> new Change(dirs, new Setting.Reorder(onOff(one(verb, args))));
            case "loss" -> new Change(dirs, new Setting.Loss(loss(args)));
            case "rate" -> new Change(dirs, new Setting.Rate(Units.parseRate(one(verb, args))));
            case "queue" -> new Change(dirs, new Setting.Queue(Units.parseSize(one(verb, args))));
            case "duplicate" -> new Change(dirs, new Setting.Duplicate(Units.parsePercent(one(verb, args))));
            default -> throw new IllegalArgumentException("unknown command: " + verb
                    + " (cut, restore, delay, jitter, reorder, loss, rate, queue, duplicate, stats, show)");
        };
    }

    /** Drops everything in {@code directions}, also what is already waiting. */
    record Cut(Set<Direction> directions) implements RelayCommand {}

    record Restore(Set<Direction> directions) implements RelayCommand {}

    /** Asks for the counters, answered as {@code stats } + {@link RelayCounters#format()}. */
    record Stats() implements RelayCommand {}

    /** Asks for the current impairments of both directions. */
    record Show() implements RelayCommand {}

    /** Changes one parameter of {@code directions}. */
    record Change(Set<Direction> directions, Setting setting) implements RelayCommand {}

    /** One impairment parameter and its new value. */
    sealed interface Setting {
        Impairment applyTo(Impairment current);

        record Delay(Duration delay) implements Setting {
            public Impairment applyTo(Impairment current) {
                return current.withDelay(delay);
            }
        }

        /** {@code shape} null keeps the current shape. */
        record Jitter(Duration jitter, Impairment.JitterShape shape) implements Setting {
            public Impairment applyTo(Impairment current) {
                return current.withJitter(jitter, shape == null ? current.jitterShape() : shape);
            }
        }

        record Reorder(boolean reorder) implements Setting {
            public Impairment applyTo(Impairment current) {
                return current.withReorder(reorder);
            }
        }

        record Loss(LossModel loss) implements Setting {
            public Impairment applyTo(Impairment current) {
                return current.withLoss(loss);
            }
        }

        record Rate(long bitsPerSecond) implements Setting {
            public Rate {
                // Validated here too, so a schedule with a bad rate fails when it is written.
                Impairment.NONE.withRate(bitsPerSecond);
            }

            public Impairment applyTo(Impairment current) {
                return current.withRate(bitsPerSecond);
            }
        }

        record Queue(long bytes) implements Setting {
            public Queue {
                Impairment.NONE.withQueue(bytes);
            }

            public Impairment applyTo(Impairment current) {
                return current.withQueue(bytes);
            }
        }

        record Duplicate(double percent) implements Setting {
            public Duplicate {
                LossModel.requirePercent("duplicate", percent);
            }

            public Impairment applyTo(Impairment current) {
                return current.withDuplicate(percent);
            }
        }
    }

    private static Setting jitter(List<String> args) {
        if (args.isEmpty() || args.size() > 2) {
            throw new IllegalArgumentException("jitter takes a time and optionally uniform or normal, got " + args);
        }
        Impairment.JitterShape shape = null;
        if (args.size() == 2) {
            shape = switch (args.get(1)) {
                case "uniform" -> Impairment.JitterShape.UNIFORM;
                case "normal" -> Impairment.JitterShape.NORMAL;
                default -> throw new IllegalArgumentException("jitter shape is uniform or normal, got " + args.get(1));
            };
        }
        return new Setting.Jitter(Units.parseDuration(args.getFirst()), shape);
    }

    private static LossModel loss(List<String> args) {
        if (args.size() == 1) {
            double percent = Units.parsePercent(args.getFirst());
            return percent == 0 ? LossModel.NONE : new LossModel.Random(percent);
        }
        if (args.size() == 3 && args.getFirst().equals("gemodel")) {
            return new LossModel.GilbertElliott(Units.parsePercent(args.get(1)), Units.parsePercent(args.get(2)));
        }
        throw new IllegalArgumentException("loss takes P% or gemodel P% R%, got " + args);
    }

    private static boolean onOff(String word) {
        return switch (word) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("expected on or off, got " + word);
        };
    }

    private static String one(String verb, List<String> args) {
        if (args.size() != 1) {
            throw new IllegalArgumentException(verb + " takes one value, got " + args);
        }
        return args.getFirst();
    }

    private static void noArgs(String verb, List<String> args) {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException(verb + " takes no value, got " + args);
        }
    }

    private static void undirected(String verb, boolean directed) {
        if (directed) {
            throw new IllegalArgumentException(verb + " covers both directions; drop the direction word");
        }
    }
}
