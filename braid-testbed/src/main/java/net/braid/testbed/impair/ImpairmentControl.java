package net.braid.testbed.impair;

/**
 * Something that takes relay commands: a relay in this JVM ({@link ImpairmentRelay}) or one
 * running as a process in a namespace ({@link ImpairedPath}). The command language is
 * {@link RelayCommand}'s; a {@link Schedule} drives either.
 */
public interface ImpairmentControl {
    /**
     * Applies one command line such as {@code cut}, {@code up delay 40ms} or {@code rate 10mbit},
     * and returns the relay's one-line answer ({@code ok ...}, or the counters for {@code stats}).
     *
     * @throws IllegalArgumentException if the line is not a valid command
     */
    String command(String line);

    /** Both directions drop everything until {@link #restore()}. */
    default void cut() {
        command("cut");
    }

    default void restore() {
        command("restore");
    }

    RelayCounters counters();
}
