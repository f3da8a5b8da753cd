package net.braid.config;

import java.util.Objects;

/**
 * One problem found in a configuration. {@code section} and {@code key} name where it is, for
 * programs ({@code "Peer[2]"}, {@code "AllowedIPs"}; empty when not tied to one); {@code message}
 * is the complete sentence a person reads, for example
 * {@code Peer.Endpoint invalid: port max 65535; given 74523}.
 */
public record ConfigError(String section, String key, String message) {

    public ConfigError {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
    }

    /** A value that breaks a rule: {@code Section.Key invalid: rule; given value}. */
    static ConfigError invalid(String section, String key, String spelling, String rule, String given) {
        return new ConfigError(section, key, section + "." + spelling + " invalid: " + rule + "; given " + given);
    }

    /** A required key, or with an empty key a required section, that is absent. */
    static ConfigError missing(String section, String key) {
        return new ConfigError(section, key, key.isEmpty() ? section + " missing" : section + "." + key + " missing");
    }

    static ConfigError unknownSection(String spelling, int line) {
        return new ConfigError(spelling, "", "unknown section [" + spelling + "] at line " + line);
    }

    static ConfigError pathWithoutPeer(String spelling, int line) {
        return new ConfigError(spelling, "", "[" + spelling + "] at line " + line
                + " does not follow a [Peer]: a [Path] belongs to the [Peer] above it");
    }

    static ConfigError unknownKey(String section, String sectionSpelling, String keySpelling, int line) {
        return new ConfigError(section, keySpelling,
                "unknown key [" + sectionSpelling + "] " + keySpelling + " at line " + line);
    }

    static ConfigError duplicateKey(String section, String key, String sectionSpelling, String keySpelling,
                                    int line, int firstLine) {
        return new ConfigError(section, key, "duplicate key [" + sectionSpelling + "] " + keySpelling
                + " at line " + line + "; first at line " + firstLine);
    }

    static ConfigError duplicateSection(String section, String spelling, int line, int firstLine) {
        return new ConfigError(section, "", "duplicate section [" + spelling + "] at line " + line
                + "; first at line " + firstLine);
    }

    static ConfigError syntax(int line, String rule, String text) {
        return new ConfigError("", "", "syntax error at line " + line + ": " + rule + "; given '" + text + "'");
    }

    @Override
    public String toString() {
        return message;
    }
}
