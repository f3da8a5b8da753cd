package net.braid.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads the {@code [Interface]} keys of a {@link HostSetup}; bad values are reported by key. */
final class HostSetupReader {
    private static final long MAX_32 = 0xffff_ffffL;

    private HostSetupReader() {}

    static HostSetup read(SectionReader reader) {
        HostSetup.Table table = reader.value(InterfaceReader.TABLE, HostSetupReader::table).orElse(HostSetup.Table.AUTO);
        long fwMark = reader.value(InterfaceReader.FW_MARK, HostSetupReader::fwMark).orElse(0L);
        boolean forward = reader.value(InterfaceReader.FORWARD, HostSetupReader::onOff).orElse(false);
        boolean masquerade = reader.value(InterfaceReader.MASQUERADE, HostSetupReader::onOff).orElse(false);
        var hooks = new HostSetup.Hooks(reader.lines(InterfaceReader.PRE_UP), reader.lines(InterfaceReader.POST_UP),
                reader.lines(InterfaceReader.PRE_DOWN), reader.lines(InterfaceReader.POST_DOWN));
        List<IpPrefix> lend = reader.list(InterfaceReader.LEND_ADDRESS, HostSetupReader::singleAddress);
        List<HostSetup.LocalPort> keep = reader.single(InterfaceReader.KEEP_LOCAL).isPresent()
                ? reader.list(InterfaceReader.KEEP_LOCAL, HostSetupReader::localPort) : HostSetup.DEFAULT_KEEP_LOCAL;
        return new HostSetup(table, fwMark, forward, masquerade, hooks, lend, keep);
    }

    /** One address: a lent address is a host's, not a network. */
    static IpPrefix singleAddress(String text) {
        IpPrefix p = IpPrefix.parse(text);
        if (p.prefixLength() != (p.isIpv6() ? 128 : 32)) {
            throw new InvalidValueException("one address (/32 or /128)", text);
        }
        return p;
    }

    /** {@code tcp/22} or {@code udp/4725}. */
    static HostSetup.LocalPort localPort(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        int slash = t.indexOf('/');
        if (slash < 0 || !(t.startsWith("tcp/") || t.startsWith("udp/")) || !t.substring(slash + 1).matches("[0-9]{1,5}")) {
            throw new InvalidValueException("tcp/PORT or udp/PORT", SectionReader.given(text));
        }
        int port = Integer.parseInt(t.substring(slash + 1));
        if (port < 1 || port > 65535) throw new InvalidValueException("a port in 1..65535", text);
        return new HostSetup.LocalPort(t.substring(0, slash), port);
    }

    /** wg-quick's values: auto, off, a number, or main (254). */
    static HostSetup.Table table(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        switch (t) {
            case "auto" -> { return HostSetup.Table.AUTO; }
            case "off" -> { return HostSetup.Table.OFF; }
            case "main" -> { return new HostSetup.Table.Numbered(254); }
            default -> { }
        }
        Optional<Long> n = number(t);
        if (n.isEmpty()) throw new InvalidValueException("auto, off, main or a table number", SectionReader.given(text));
        long v = n.get();
        if (v < 1 || v > MAX_32) throw new InvalidValueException("a table number in 1.." + MAX_32, text);
        if (v == 253 || v == 255) {
            throw new InvalidValueException("not the kernel's " + (v == 253 ? "default" : "local") + " table", text);
        }
        return new HostSetup.Table.Numbered(v);
    }

    static long fwMark(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("off")) return 0;
        Optional<Long> n = number(t);
        if (n.isEmpty() || n.get() > MAX_32) {
            throw new InvalidValueException("off or a 32-bit number (decimal or 0x hex)", SectionReader.given(text));
        }
        return n.get();
    }

    static boolean onOff(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes", "1" -> true;
            case "off", "false", "no", "0" -> false;
            default -> throw new InvalidValueException("on or off", SectionReader.given(text));
        };
    }

    private static Optional<Long> number(String t) {
        try {
            if (t.startsWith("0x") && t.length() > 2 && t.length() <= 10) return Optional.of(Long.parseLong(t.substring(2), 16));
            if (t.matches("[0-9]{1,10}")) return Optional.of(Long.parseLong(t));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
