package net.braid.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits WireGuard-style INI text into sections and entries. Comments start with {@code #} or
 * {@code ;}, on their own line or after a value (no value braid reads may contain either).
 * Lines are numbered from 1 so later messages can point at them. Knows nothing of which
 * sections and keys exist: that is {@link ConfigValidator}'s job.
 */
public final class IniParser {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

    private IniParser() {
    }

    /** @throws ConfigException listing every syntax error, each with its line number and text */
    public static IniDocument parse(String text) throws ConfigException {
        List<ConfigError> errors = new ArrayList<>();
        IniDocument document = parse(text, errors);
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return document;
    }

    /** Parses what it can, adding one error per bad line to {@code errors}, so later checks can still run. */
    static IniDocument parse(String text, List<ConfigError> errors) {
        List<IniSection> sections = new ArrayList<>();
        String sectionName = null;
        int sectionLine = 0;
        List<IniEntry> entries = new ArrayList<>();
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNumber = i + 1;
            String raw = i == 0 && lines[i].startsWith("\uFEFF") ? lines[i].substring(1) : lines[i];
            String line = withoutComment(raw).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[")) {
                String name = line.endsWith("]") ? line.substring(1, line.length() - 1).strip() : "";
                if (!NAME.matcher(name).matches()) {
                    errors.add(ConfigError.syntax(lineNumber, "expected [Section]", raw.strip()));
                    // Keys that follow still belong somewhere: to a nameless section nobody reads.
                    name = "";
                }
                if (sectionName != null) {
                    sections.add(new IniSection(sectionName, sectionLine, entries));
                }
                sectionName = name;
                sectionLine = lineNumber;
                entries = new ArrayList<>();
                continue;
            }
            int equals = line.indexOf('=');
            if (equals < 0) {
                errors.add(ConfigError.syntax(lineNumber, "expected [Section] or Key = Value", raw.strip()));
                continue;
            }
            String key = line.substring(0, equals).strip();
            if (!NAME.matcher(key).matches()) {
                errors.add(ConfigError.syntax(lineNumber, "expected a key of letters and digits before '='", raw.strip()));
                continue;
            }
            if (sectionName == null) {
                errors.add(ConfigError.syntax(lineNumber, "expected [Section] before the first key", raw.strip()));
                continue;
            }
            entries.add(new IniEntry(key, line.substring(equals + 1).strip(), lineNumber));
        }
        if (sectionName != null) {
            sections.add(new IniSection(sectionName, sectionLine, entries));
        }
        // Sections whose header was broken were kept only to swallow their keys.
        sections.removeIf(s -> s.name().isEmpty());
        return new IniDocument(sections);
    }

    private static String withoutComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '#' || c == ';') {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
