package net.braid.cli;

import java.io.IOException;
import java.util.List;
import net.braid.linux.HostCommand;

/** Runs wg-quick style hook lines with {@code sh -c}, {@code %i} standing for the TUN's name. */
final class ShellHooks {
    private static final String SH = HostCommand.locate("sh");

    private ShellHooks() {}

    /**
     * Runs each command in order with braid's stdout and stderr.
     *
     * @throws IOException naming the hook and the command when one exits non-zero
     */
    static void run(String hook, List<String> commands, String tun) throws IOException {
        for (String line : commands) {
            String command = line.replace("%i", tun);
            int exit;
            try {
                exit = new ProcessBuilder(SH, "-c", command).inheritIO()
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(hook + " interrupted: " + command, e);
            }
            if (exit != 0) throw new IOException(hook + " command failed (exit " + exit + "): " + command);
        }
    }

    /** As {@link #run}, but a failure only prints a line: on the way down every hook still runs. */
    static void runQuietly(String hook, List<String> commands, String tun) {
        try {
            run(hook, commands, tun);
        } catch (IOException e) {
            System.err.println("braid: " + e.getMessage());
        }
    }
}
