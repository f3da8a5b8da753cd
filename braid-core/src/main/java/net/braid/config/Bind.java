package net.braid.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a path's socket is bound on this host: a local IP address, or a network interface by
 * name (Linux SO_BINDTODEVICE), so each path leaves through the link it stands for even when
 * the routing table would pick another. Only the form is checked here; whether the address or
 * the interface exists is known when the path binds, and may change while braid runs.
 */
public sealed interface Bind {

    /** A local address; the socket's port stays the path's own (ListenPort or ephemeral). */
    record Address(InetAddress address) implements Bind {

        public Address {
            Objects.requireNonNull(address, "address");
        }

        public boolean isIpv6() {
            return address instanceof Inet6Address;
        }

        @Override
        public String toString() {
            return IpPrefix.host(address).addressText();
        }
    }

    /** A network interface name, as the kernel limits it (IFNAMSIZ 16 with the NUL). */
    record Device(String name) implements Bind {

        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
        static final String RULE = "IP address or interface name (A-Z a-z 0-9 _ . -, 1 to 15 characters) expected";

        /** @throws InvalidValueException when the kernel would refuse the name */
        public Device {
            Objects.requireNonNull(name, "name");
            if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
                throw new InvalidValueException(RULE, SectionReader.given(name));
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * An IPv6 literal (it has a colon), an IPv4 dotted quad (digits and dots only), or else an
     * interface name such as {@code eth1} or {@code wwan0.2}.
     *
     * @throws InvalidValueException naming the broken rule
     */
    static Bind parse(String text) {
        String s = text.strip();
        boolean digitsAndDots = s.chars().anyMatch(Character::isDigit)
                && s.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        if (s.indexOf(':') >= 0 || digitsAndDots) {
            return new Address(IpPrefix.parseAddress(s, s));
        }
        return new Device(s);
    }
}
