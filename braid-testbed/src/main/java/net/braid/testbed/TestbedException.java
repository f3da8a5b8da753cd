package net.braid.testbed;

/** A test-bed operation failed: a command exited badly, timed out, or a topology rule was broken. */
public class TestbedException extends RuntimeException {
    public TestbedException(String message) {
        super(message);
    }

    public TestbedException(String message, Throwable cause) {
        super(message, cause);
    }
}
