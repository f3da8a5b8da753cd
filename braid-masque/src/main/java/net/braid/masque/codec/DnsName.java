package net.braid.masque.codec;

/**
 * Host names as a proxy accepts them in a target (RFC 9298 §2 "DNS names", RFC 9484 §4.6
 * "reg-name"): dot-separated labels of 1..63 letters, digits, '-' or '_', not starting or
 * ending with '-', 253 characters at most, one optional trailing dot, and a last label that is
 * not all digits (RFC 3696 §2), so a mistyped IPv4 literal is not taken for a name.
 */
final class DnsName {

    private DnsName() {}

    static boolean isValid(String name) {
        String s = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (s.isEmpty() || s.length() > 253) return false;
        String[] labels = s.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) return false;
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_';
                if (!ok) return false;
            }
        }
        return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
    }
}
