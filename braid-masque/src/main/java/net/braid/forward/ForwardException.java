package net.braid.forward;

/** A forward could not be set up: its message names the end and the reason, fit for a log line. */
public final class ForwardException extends Exception {
    private static final java.util.regex.Pattern NATIVE_PREFIX = java.util.regex.Pattern.compile("^\\w+\\(\\.\\.\\) failed with error\\(-?\\d+\\): ");

    public ForwardException(String message) {
        super(message);
    }

    public ForwardException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The innermost message of a failure, e.g. "Connection refused" rather than a wrapper's text. */
    static String reason(Throwable t) {
        if (t instanceof ForwardException) return t.getMessage();
        Throwable last = t;
        String message = null;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null) message = c.getMessage();
            last = c;
        }
        if (message == null) return last.getClass().getSimpleName();
        // Netty's native transport says "finishConnect(..) failed with error(-111): Connection refused".
        return NATIVE_PREFIX.matcher(message).replaceFirst("");
    }
}
