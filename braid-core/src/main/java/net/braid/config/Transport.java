package net.braid.config;

import java.util.Locale;

/** How a path carries the tunnel's messages: {@code udp} datagrams or a {@code tcp} stream. */
public enum Transport {
    UDP,
    TCP;

    /** @throws InvalidValueException unless the text is udp or tcp, in any case */
    public static Transport parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "udp" -> UDP;
            case "tcp" -> TCP;
            default -> throw new InvalidValueException("udp or tcp expected", SectionReader.given(text.strip()));
        };
    }

    /** The spelling in a config file: {@code udp} or {@code tcp}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
