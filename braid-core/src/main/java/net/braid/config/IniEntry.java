package net.braid.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One {@code Key = Value} line, with the key spelled as written and the value stripped of
 * surrounding blanks and any trailing comment.
 */
public record IniEntry(String key, String value, int line) {

    /** Whether this is {@code name}, ignoring case as wg-quick does. */
    public boolean is(String name) {
        return key.equalsIgnoreCase(name);
    }

    /** The key in lower case, for lookups. */
    public String normalizedKey() {
        return key.toLowerCase(Locale.ROOT);
    }

    /** The value split at commas, each item stripped; empty items (a trailing comma) are dropped. */
    public List<String> items() {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            String s = item.strip();
            if (!s.isEmpty()) {
                items.add(s);
            }
        }
        return items;
    }
}
