package net.braid.testbed;

/** A command exited non-zero; the message carries the command line, exit code and stderr. */
public final class CommandFailedException extends TestbedException {
    private final transient ExecResult result;

    public CommandFailedException(ExecResult result) {
        super("command failed (exit " + result.exitCode() + "): " + String.join(" ", result.command())
                + describe("stderr", result.stderr()) + describe("stdout", result.stdout()));
        this.result = result;
    }

    public ExecResult result() {
        return result;
    }

    private static String describe(String stream, String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        if (trimmed.length() > 2000) {
            trimmed = trimmed.substring(0, 2000) + " ...";
        }
        return "\n" + stream + ": " + trimmed;
    }
}
