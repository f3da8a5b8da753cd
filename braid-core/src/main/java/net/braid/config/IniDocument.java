package net.braid.config;

import java.util.List;

/** A parsed INI file: its sections in file order, before any meaning is given to them. */
public record IniDocument(List<IniSection> sections) {

    public IniDocument {
        sections = List.copyOf(sections);
    }

    /** Every section called {@code name}, ignoring case, in file order. */
    public List<IniSection> all(String name) {
        return sections.stream().filter(s -> s.is(name)).toList();
    }
}
