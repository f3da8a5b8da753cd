package net.braid.config;

import java.util.List;

/** One {@code [Name]} section and its entries in file order; a name may repeat, as [Peer] does. */
public record IniSection(String name, int line, List<IniEntry> entries) {

    public IniSection {
        entries = List.copyOf(entries);
    }

    /** Whether this is a {@code [name]} section, ignoring case. */
    public boolean is(String sectionName) {
        return name.equalsIgnoreCase(sectionName);
    }

    /** Every entry for {@code key}, ignoring case, in file order. */
    public List<IniEntry> all(String key) {
        return entries.stream().filter(e -> e.is(key)).toList();
    }
}
