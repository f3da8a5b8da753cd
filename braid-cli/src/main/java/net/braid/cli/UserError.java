package net.braid.cli;

/** A failure the user can fix: printed as its message alone, without a stack trace. */
public class UserError extends Exception {
    public static final int CONFIG = 2;
    public static final int RUNTIME = 1;

    private final int exitCode;

    public UserError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public UserError(String message) {
        this(message, RUNTIME);
    }

    public int exitCode() { return exitCode; }
}
