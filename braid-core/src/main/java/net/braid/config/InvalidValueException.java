package net.braid.config;

/**
 * A text that does not parse as the value it should be. {@link #rule()} says what was expected
 * and {@link #given()} the offending part, so a caller can name its own section and key:
 * {@code Peer.Endpoint invalid: port max 65535; given 74523}.
 */
public final class InvalidValueException extends IllegalArgumentException {

    private final String rule;
    private final String given;

    public InvalidValueException(String rule, String given) {
        super(rule + "; given " + given, null);
        this.rule = rule;
        this.given = given;
    }

    public String rule() {
        return rule;
    }

    public String given() {
        return given;
    }
}
