package net.braid.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The {@code --option value} command lines of the benchmark runners. */
final class BenchArgs {
    private BenchArgs() {}

    /**
     * Pairs of option and value, each option one of {@code known}.
     *
     * @throws IllegalArgumentException "help" for -h/--help, else what is wrong
     */
    static Map<String, String> parse(String[] args, Set<String> known) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) throw new IllegalArgumentException("help");
            if (!known.contains(arg)) throw new IllegalArgumentException("unknown option " + arg);
            if (i + 1 >= args.length) throw new IllegalArgumentException("missing value after " + arg);
            options.put(arg, args[++i]);
        }
        return options;
    }

    /** The option's whole-number value, at least {@code min}, or {@code fallback} when absent. */
    static int whole(Map<String, String> options, String option, int min, int fallback) {
        String value = options.get(option);
        if (value == null) return fallback;
        try {
            int n = Integer.parseInt(value);
            if (n >= min) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs a whole number of at least " + min + ": " + value);
    }
}
