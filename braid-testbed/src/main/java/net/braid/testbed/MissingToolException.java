package net.braid.testbed;

import java.util.List;

/** An external program the test bed needs is not installed; the message names its Debian package. */
public final class MissingToolException extends TestbedException {
    private final List<String> tools;

    MissingToolException(List<String> tools, String message) {
        super(message);
        this.tools = List.copyOf(tools);
    }

    public List<String> tools() {
        return tools;
    }
}
