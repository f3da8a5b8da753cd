package net.braid.masque.codec;

/**
 * A proxying request whose template variables do not name a valid target: the proxy answers
 * with a 4xx status. The message names the variable, the rule and the value.
 */
public final class InvalidTargetException extends Exception {

    public InvalidTargetException(String variable, String rule, String value) {
        super(variable + ": " + rule + "; given " + (value == null ? "nothing" : "\"" + value + "\""));
    }
}
