package net.braid.masque.codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of RFC 6570 URI Templates that MASQUE uses (RFC 9298 §2, RFC 9484 §3): literals,
 * simple expansion {@code {var}}, reserved expansion {@code {+var}} and form-style query
 * expansion {@code {?a,b}} / continuation {@code {&a,b}}, each with one or more variables and
 * no level-4 modifiers. Other operators are refused when the template is parsed.
 *
 * <p>{@link #expand} is the client's side; {@link #match} is the proxy's: it checks a request's
 * {@code :path} against the template and returns the variables, percent-decoded.
 *
 * <p>Matching needs the variables in the path and query (RFC 9484 §3 requires that), the
 * query expressions last, and each simple or reserved expression followed by a literal or the
 * end; an undefined variable inside a multi-variable path expression does not match.
 */
public final class UriTemplate {

    /** RFC 9298 §2: the default CONNECT-UDP path, for clients that know only a proxy host and port. */
    public static final String CONNECT_UDP_DEFAULT_PATH = "/.well-known/masque/udp/{target_host}/{target_port}/";
    /** RFC 9484 §3: the default CONNECT-IP path. */
    public static final String CONNECT_IP_DEFAULT_PATH = "/.well-known/masque/ip/{target}/{ipproto}/";

    private static final String UNRESERVED_PUNCT = "-._~";
    private static final String RESERVED = ":/?#[]@!$&'()*+,;=";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private sealed interface Part permits Literal, Expression {}

    private record Literal(String text) implements Part {}

    private record Expression(char operator, List<String> names) implements Part {
        boolean isQuery() {
            return operator == '?' || operator == '&';
        }
    }

    private final String template;
    private final List<Part> parts;
    private final List<String> variableNames;
    private final Pattern pathPattern; // the path template up to the query expressions
    private final List<String> pathGroups; // variable name of each capturing group
    private final List<Expression> queryExpressions;

    private UriTemplate(String template, List<Part> parts, int pathStart) {
        this.template = template;
        this.parts = List.copyOf(parts);
        Set<String> names = new LinkedHashSet<>();
        for (Part p : parts) if (p instanceof Expression e) names.addAll(e.names());
        this.variableNames = List.copyOf(names);

        StringBuilder regex = new StringBuilder();
        List<String> groups = new ArrayList<>();
        List<Expression> query = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            if (p instanceof Literal(String text)) {
                int from = Math.max(0, pathStart - offset);
                if (from < text.length()) regex.append(Pattern.quote(text.substring(from)));
                offset += text.length();
            } else if (p instanceof Expression e) {
                if (offset < pathStart) {
                    throw new IllegalArgumentException("variables must be in the path or query (RFC 9484 §3): " + template);
                }
                if (e.isQuery()) {
                    query.add(e);
                    continue;
                }
                if (!query.isEmpty()) {
                    throw new IllegalArgumentException("query expressions {?..} and {&..} must end the template: " + template);
                }
                if (i + 1 < parts.size() && parts.get(i + 1) instanceof Expression next && !next.isQuery()) {
                    throw new IllegalArgumentException("adjacent expressions cannot be matched: " + template);
                }
                // Simple values are pct-encoded, so they hold none of these delimiters; reserved
                // ones may hold '/', but '?' and '#' would end the path.
                String value = e.operator() == '+' && e.names().size() == 1 ? "([^?#]*)" : "([^/?#&,]*)";
                for (int n = 0; n < e.names().size(); n++) {
                    if (n > 0) regex.append(',');
                    regex.append(value);
                    groups.add(e.names().get(n));
                }
            }
            if (p instanceof Literal && !query.isEmpty()) {
                throw new IllegalArgumentException("query expressions {?..} and {&..} must end the template: " + template);
            }
        }
        this.pathPattern = Pattern.compile(regex.toString());
        this.pathGroups = List.copyOf(groups);
        this.queryExpressions = List.copyOf(query);
    }

    /**
     * Parses a template, absolute ({@code https://proxy.example.org/masque{?target_host,target_port}})
     * or a path alone ({@link #CONNECT_UDP_DEFAULT_PATH}).
     *
     * @throws IllegalArgumentException for a syntax error, a level-4 modifier, an operator other
     *     than none, {@code +}, {@code ?} and {@code &}, or a shape {@link #match} cannot handle
     */
    public static UriTemplate parse(String template) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{') {
                int close = template.indexOf('}', i);
                if (close < 0) throw new IllegalArgumentException("unclosed expression at " + i + ": " + template);
                if (!literal.isEmpty()) {
                    parts.add(new Literal(literal.toString()));
                    literal.setLength(0);
                }
                parts.add(expression(template.substring(i + 1, close), template));
                i = close + 1;
            } else {
                // RFC 6570 §2.1: literals are URI characters; a '%' must start a pct-encoded triplet.
                if (c <= 0x20 || c >= 0x7f || "\"'<>\\^`|}".indexOf(c) >= 0) {
                    throw new IllegalArgumentException("character '" + c + "' not allowed in a template literal: " + template);
                }
                if (c == '%' && !isPctTriplet(template, i)) {
                    throw new IllegalArgumentException("'%' not followed by two hex digits: " + template);
                }
                literal.append(c);
                i++;
            }
        }
        if (!literal.isEmpty()) parts.add(new Literal(literal.toString()));
        return new UriTemplate(template, parts, pathStart(template));
    }

    private static Expression expression(String body, String template) {
        if (body.isEmpty()) throw new IllegalArgumentException("empty expression: " + template);
        char op = body.charAt(0);
        String list = body;
        if (op == '+' || op == '?' || op == '&') {
            list = body.substring(1);
        } else if ("#./;=,!@|".indexOf(op) >= 0) {
            throw new IllegalArgumentException("operator '" + op + "' not supported (MASQUE uses {var}, {+var}, {?var}, {&var}): " + template);
        } else {
            op = 0;
        }
        List<String> names = new ArrayList<>();
        for (String name : list.split(",", -1)) {
            if (name.endsWith("*") || name.indexOf(':') >= 0) {
                throw new IllegalArgumentException("level-4 modifier not supported in '" + name + "': " + template);
            }
            if (!name.matches("([A-Za-z0-9_]|%[0-9A-Fa-f]{2})+(\\.([A-Za-z0-9_]|%[0-9A-Fa-f]{2})+)*")) {
                throw new IllegalArgumentException("bad variable name '" + name + "': " + template);
            }
            names.add(name);
        }
        return new Expression(op, List.copyOf(names));
    }

    /** Where the path starts: after {@code scheme://authority} in an absolute template, else 0. */
    private static int pathStart(String template) {
        Matcher m = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://").matcher(template);
        if (!m.find()) return 0;
        int i = m.end();
        while (i < template.length() && "/?#{".indexOf(template.charAt(i)) < 0) i++;
        if (i < template.length() && template.charAt(i) == '{') {
            throw new IllegalArgumentException("variables must be in the path or query (RFC 9484 §3): " + template);
        }
        return i;
    }

    public String template() {
        return template;
    }

    /** The variable names, in order of first appearance. */
    public List<String> variableNames() {
        return variableNames;
    }

    /**
     * Expands the template (RFC 6570 §3.2): a missing or null value is undefined and left out;
     * values are UTF-8 and pct-encoded, keeping only unreserved characters, plus reserved ones
     * and pct-triplets in {@code {+var}} (§3.2.1). So {@code 2001:db8::42} becomes
     * {@code 2001%3Adb8%3A%3A42} in {@code {target_host}}, as RFC 9298 §2 shows.
     */
    public String expand(Map<String, String> values) {
        return expand(values, Set.of());
    }

    /**
     * Expands like {@link #expand(Map)}, but inserts the values of {@code verbatim} variables
     * unencoded. For CONNECT-IP's wildcard, written {@code *} in RFC 9484 §8's requests where
     * RFC 6570 would write {@code %2A}: a server that pct-decodes reads either as "*", one that
     * compares text only knows the first. Verbatim values may hold unreserved characters and
     * sub-delimiters only.
     */
    public String expand(Map<String, String> values, Set<String> verbatim) {
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            switch (p) {
                case Literal(String text) -> out.append(text);
                case Expression e -> expandExpression(e, values, verbatim, out);
            }
        }
        return out.toString();
    }

    private static void expandExpression(Expression e, Map<String, String> values, Set<String> verbatim, StringBuilder out) {
        // RFC 6570 Appendix A table: first, sep, named, ifemp and allow for each operator.
        boolean named = e.isQuery();
        String first = e.operator() == '?' ? "?" : e.operator() == '&' ? "&" : "";
        String sep = named ? "&" : ",";
        boolean allowReserved = e.operator() == '+';
        boolean any = false;
        for (String name : e.names()) {
            String value = values.get(name);
            if (value == null) continue;
            out.append(any ? sep : first);
            any = true;
            if (named) {
                out.append(name).append('=');
            }
            if (verbatim.contains(name)) {
                for (int k = 0; k < value.length(); k++) {
                    char c = value.charAt(k);
                    if (!isUnreserved(c) && "!$&'()*+,;=".indexOf(c) < 0) {
                        throw new IllegalArgumentException("verbatim value of " + name + " needs encoding: " + value);
                    }
                }
                out.append(value);
            } else {
                encode(value, allowReserved, out);
            }
        }
    }

    private static void encode(String value, boolean allowReserved, StringBuilder out) {
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (cp < 0x80 && (isUnreserved((char) cp) || allowReserved && RESERVED.indexOf(cp) >= 0)) {
                out.append((char) cp);
            } else if (allowReserved && cp == '%' && isPctTriplet(value, i)) {
                out.append(value, i, i + 3);
                i += 3;
                continue;
            } else {
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
                }
            }
            i += Character.charCount(cp);
        }
    }

    /**
     * Matches a request target, the {@code :path} pseudo-header (path and optional query), and
     * returns the pct-decoded values of the variables it defines; empty when it does not match
     * or a value is not valid pct-encoded UTF-8. Query variables may come in any order, and
     * missing ones are absent from the map.
     */
    public Optional<Map<String, String>> match(String requestTarget) {
        Matcher m = pathPattern.matcher(requestTarget);
        if (!m.lookingAt()) return Optional.empty();
        Map<String, String> vars = new LinkedHashMap<>();
        for (int g = 0; g < pathGroups.size(); g++) {
            String value = decode(m.group(g + 1));
            if (value == null || !bind(vars, pathGroups.get(g), value)) return Optional.empty();
        }
        String rest = requestTarget.substring(m.end());
        if (queryExpressions.isEmpty()) {
            return rest.isEmpty() ? Optional.of(Collections.unmodifiableMap(vars)) : Optional.empty();
        }
        if (!rest.isEmpty() && !matchQuery(rest, vars)) return Optional.empty();
        return Optional.of(Collections.unmodifiableMap(vars));
    }

    private boolean matchQuery(String rest, Map<String, String> vars) {
        char lead = queryExpressions.getFirst().operator();
        if (rest.charAt(0) != lead) return false;
        Set<String> names = new LinkedHashSet<>();
        for (Expression e : queryExpressions) names.addAll(e.names());
        Set<String> seen = new LinkedHashSet<>();
        for (String pair : rest.substring(1).split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq < 0) return false;
            String name = pair.substring(0, eq);
            String value = decode(pair.substring(eq + 1));
            if (!names.contains(name) || !seen.add(name) || value == null || !bind(vars, name, value)) return false;
        }
        return true;
    }

    private static boolean bind(Map<String, String> vars, String name, String value) {
        String earlier = vars.putIfAbsent(name, value);
        return earlier == null || earlier.equals(value);
    }

    /** Pct-decodes UTF-8, or returns null for a broken triplet or invalid UTF-8. */
    private static String decode(String s) {
        if (s.indexOf('%') < 0) return s;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (!isPctTriplet(s, i)) return null;
                bytes.write(Character.digit(s.charAt(i + 1), 16) << 4 | Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                return null; // a request target is ASCII
            }
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean isUnreserved(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || UNRESERVED_PUNCT.indexOf(c) >= 0;
    }

    private static boolean isPctTriplet(String s, int i) {
        return i + 2 < s.length() && s.charAt(i) == '%'
                && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0
                && s.charAt(i + 1) < 0x80 && s.charAt(i + 2) < 0x80;
    }

    @Override
    public String toString() {
        return template;
    }
}
