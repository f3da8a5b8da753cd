package net.braid.cli.ipegress;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.braid.config.ConfigError;
import net.braid.config.IniEntry;
import net.braid.config.IniSection;

/**
 * The keys of one INI section checked against what it may hold: unknown keys and repeated
 * single-value keys become errors worded as {@code braid up} words them; the rest can be looked up.
 */
public final class SectionKeys {
    private final IniSection section;
    private final String name;
    private final Map<String, IniEntry> singles = new HashMap<>();

    private SectionKeys(IniSection section, String name) {
        this.section = section;
        this.name = name;
    }

    /**
     * @param name       the section's canonical name, used in messages
     * @param singleKeys keys given at most once
     * @param listKeys   keys that may repeat
     */
    public static SectionKeys check(IniSection section, String name, List<String> singleKeys, List<String> listKeys,
                                    List<ConfigError> errors) {
        var keys = new SectionKeys(section, name);
        Map<String, String> canonical = new HashMap<>();
        singleKeys.forEach(k -> canonical.put(k.toLowerCase(Locale.ROOT), k));
        listKeys.forEach(k -> canonical.put(k.toLowerCase(Locale.ROOT), k));
        for (IniEntry e : section.entries()) {
            String key = canonical.get(e.normalizedKey());
            if (key == null) {
                errors.add(new ConfigError(name, e.key(), "unknown key [" + section.name() + "] " + e.key() + " at line " + e.line()
                        + "; expected one of " + String.join(", ", singleKeys) + (listKeys.isEmpty() ? "" : ", ")
                        + String.join(", ", listKeys)));
            } else if (singleKeys.contains(key)) {
                IniEntry first = keys.singles.putIfAbsent(key, e);
                if (first != null) {
                    errors.add(new ConfigError(name, key, "duplicate key [" + section.name() + "] " + e.key() + " at line "
                            + e.line() + "; first at line " + first.line()));
                }
            }
        }
        return keys;
    }

    /** The first entry of a single-value key, or null. */
    public IniEntry single(String key) {
        return singles.get(key);
    }

    public List<IniEntry> all(String key) {
        return section.all(key);
    }

    /** {@code Section.Key invalid: rule; given value}. */
    public ConfigError invalid(IniEntry entry, String key, String rule, String given) {
        return new ConfigError(name, key, name + "." + entry.key() + " invalid: " + rule + "; given "
                + (given.isEmpty() ? "nothing" : given));
    }

    /** {@code Section.Key missing: why}. */
    public ConfigError missing(String key, String why) {
        return new ConfigError(name, key, name + "." + key + " missing: " + why);
    }

    /** An on/off switch, or {@code otherwise} when absent; a bad value is an error (and {@code otherwise} returned). */
    public boolean flag(String key, boolean otherwise, List<ConfigError> errors) {
        IniEntry e = single(key);
        if (e == null) return otherwise;
        return switch (e.value().toLowerCase(Locale.ROOT)) {
            case "on", "yes", "true" -> true;
            case "off", "no", "false" -> false;
            default -> {
                errors.add(invalid(e, key, "on or off expected", e.value()));
                yield otherwise;
            }
        };
    }

    /** A whole number in {@code min..max}, or {@code otherwise} when absent or wrong (then with an error). */
    public long number(String key, long min, long max, long otherwise, List<ConfigError> errors) {
        IniEntry e = single(key);
        if (e == null) return otherwise;
        String v = e.value();
        if (!v.matches("[0-9]{1,10}") || Long.parseLong(v) < min || Long.parseLong(v) > max) {
            errors.add(invalid(e, key, "a whole number " + min + ".." + max + " expected", v));
            return otherwise;
        }
        return Long.parseLong(v);
    }

    /** An interface name Linux accepts (1..15 printable characters without '/', ':' or blanks), or null with an error. */
    public String interfaceName(String key, String otherwise, List<ConfigError> errors) {
        IniEntry e = single(key);
        if (e == null) return otherwise;
        String v = e.value();
        if (!v.matches("[!-~&&[^/:]]{1,15}") || v.equals(".") || v.equals("..")) {
            errors.add(invalid(e, key, "an interface name of 1 to 15 printable characters without '/', ':' or spaces expected", v));
            return null;
        }
        return v;
    }
}
