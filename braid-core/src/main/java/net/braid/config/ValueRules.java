package net.braid.config;

import java.util.regex.Pattern;

/**
 * The rules for single values, shared by the file reader (which reports them with the text as
 * given) and the model's constructors (which refuse to build an invalid value). Each method
 * returns the broken rule, or null when the value is fine.
 */
final class ValueRules {

    static final int DEFAULT_MTU = 1420;
    /** RFC 791: every IPv4 host must accept 576-byte datagrams. */
    static final int MIN_MTU = 576;
    /** RFC 8200 section 5: every IPv6 link must carry 1280-byte packets. */
    static final int MIN_MTU_IPV6 = 1280;
    static final int MAX_16_BIT = 65535;
    /** Linux IFNAMSIZ is 16 including the terminating NUL. */
    static final int MAX_NAME_BYTES = 15;

    private static final Pattern NAME_CHARACTERS = Pattern.compile("[A-Za-z0-9_.=+-]*");

    private ValueRules() {
    }

    static String range(long value, long min, long max) {
        if (value < min) {
            return "min " + min;
        }
        if (value > max) {
            return "max " + max;
        }
        return null;
    }

    static String mtu(long mtu, boolean anyIpv6Address) {
        if (anyIpv6Address && mtu < MIN_MTU_IPV6) {
            return "at least " + MIN_MTU_IPV6 + " with an IPv6 Address";
        }
        return range(mtu, MIN_MTU, MAX_16_BIT);
    }

    static String port(long port) {
        return range(port, 0, MAX_16_BIT);
    }

    static String metric(long metric) {
        return range(metric, 0, PathSection.MAX_METRIC);
    }

    static String keepalive(long seconds) {
        return range(seconds, 0, MAX_16_BIT);
    }

    /** The kernel's limits on a network interface name (dev_valid_name) plus wg-quick's character set. */
    static String interfaceName(String name) {
        if (name.isEmpty()) {
            return "at least 1 character";
        }
        if (!NAME_CHARACTERS.matcher(name).matches()) {
            return "characters A-Z a-z 0-9 _ . - = + only";
        }
        if (name.length() > MAX_NAME_BYTES) {
            return "at most " + MAX_NAME_BYTES + " bytes";
        }
        if (name.equals(".") || name.equals("..")) {
            return "not . or ..";
        }
        return null;
    }
}
