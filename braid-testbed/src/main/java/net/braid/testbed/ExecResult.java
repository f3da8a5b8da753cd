package net.braid.testbed;

import java.util.List;

/** What a finished command left behind. */
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr) {
    public ExecResult {
        command = List.copyOf(command);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Returns this result if the command exited 0, else throws {@link CommandFailedException}. */
    public ExecResult requireSuccess() {
        if (exitCode != 0) {
            throw new CommandFailedException(this);
        }
        return this;
    }
}
