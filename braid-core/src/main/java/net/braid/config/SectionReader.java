package net.braid.config;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Reads the entries of one section against the keys it knows, reporting into a shared list: an
 * unknown key, a single-valued key given twice, a value that breaks a rule. List keys (Address,
 * AllowedIPs) may repeat and their lines append, as in wg-quick.
 */
final class SectionReader {

    private final IniSection section;
    private final String label;
    private final List<ConfigError> errors;
    private final Map<String, String> canonicalNames = new HashMap<>();
    private final int errorsBefore;

    /**
     * @param label      how messages name the section, e.g. "Peer[2]"
     * @param singleKeys keys that may appear once, spelled canonically
     * @param listKeys   keys whose lines append
     */
    SectionReader(IniSection section, String label, List<String> singleKeys, List<String> listKeys,
                  List<ConfigError> errors) {
        this.section = section;
        this.label = label;
        this.errors = errors;
        this.errorsBefore = errors.size();
        singleKeys.forEach(k -> canonicalNames.put(k.toLowerCase(Locale.ROOT), k));
        listKeys.forEach(k -> canonicalNames.put(k.toLowerCase(Locale.ROOT), k));
        Map<String, IniEntry> first = new HashMap<>();
        for (IniEntry entry : section.entries()) {
            String canonical = canonicalNames.get(entry.normalizedKey());
            if (canonical == null) {
                errors.add(ConfigError.unknownKey(label, section.name(), entry.key(), entry.line()));
            } else if (singleKeys.contains(canonical)) {
                IniEntry earlier = first.putIfAbsent(canonical, entry);
                if (earlier != null) {
                    errors.add(ConfigError.duplicateKey(label, canonical, section.name(), entry.key(),
                            entry.line(), earlier.line()));
                }
            }
        }
    }

    String label() {
        return label;
    }

    /** The first entry for a single-valued key; later ones were reported as duplicates. */
    Optional<IniEntry> single(String key) {
        return section.entries().stream().filter(e -> e.is(key)).findFirst();
    }

    /** The items of every line of a list key, parsed; items that do not parse are reported and skipped. */
    <T> List<T> list(String key, Function<String, T> parser) {
        return section.all(key).stream()
                .flatMap(entry -> entry.items().stream()
                        .map(item -> parseOrReport(entry, item, parser)).flatMap(Optional::stream))
                .toList();
    }

    /** The whole value of every line of a list key, unsplit (hook commands may hold commas). */
    List<String> lines(String key) {
        return section.all(key).stream().map(IniEntry::value).toList();
    }

    /** The value of a single-valued key, parsed; absent when not given or reported as invalid. */
    <T> Optional<T> value(String key, Function<String, T> parser) {
        return single(key).flatMap(entry -> parseOrReport(entry, entry.value(), parser));
    }

    /**
     * A whole number in {@code [min, max]}, or the rule {@code ValueRules} gives; absent when not
     * given or reported.
     */
    OptionalLong number(String key, Function<Long, String> rule) {
        Optional<IniEntry> entry = single(key);
        if (entry.isEmpty()) {
            return OptionalLong.empty();
        }
        String text = entry.get().value();
        if (!text.matches("-?[0-9]+")) {
            invalid(entry.get(), "whole number expected", given(text));
            return OptionalLong.empty();
        }
        // Too many digits for a long is simply too large (or too small); let the rule say so.
        long value = text.length() > 18 ? (text.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE) : Long.parseLong(text);
        String broken = rule.apply(value);
        if (broken != null) {
            invalid(entry.get(), broken, text);
            return OptionalLong.empty();
        }
        return OptionalLong.of(value);
    }

    private <T> Optional<T> parseOrReport(IniEntry entry, String text, Function<String, T> parser) {
        try {
            return Optional.of(parser.apply(text));
        } catch (InvalidValueException e) {
            invalid(entry, e.rule(), e.given());
            return Optional.empty();
        }
    }

    void invalid(IniEntry entry, String rule, String given) {
        String canonical = canonicalNames.getOrDefault(entry.normalizedKey(), entry.key());
        errors.add(ConfigError.invalid(label, canonical, entry.key(), rule, given));
    }

    void invalid(String key, String rule, String given) {
        errors.add(ConfigError.invalid(label, key, key, rule, given));
    }

    void missing(String key) {
        errors.add(ConfigError.missing(label, key));
    }

    /** Whether anything in this section was reported since reading began. */
    boolean failed() {
        return errors.size() > errorsBefore;
    }

    static String given(String text) {
        return text.isEmpty() ? "nothing" : text;
    }
}
