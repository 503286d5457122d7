package io.inlet.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The declaration of one property key, in the manner of Kafka's ConfigDef: its name (a name ending in
 * {@code *} declares a prefix such as {@code property.*}), type, default (null: none), documentation, value
 * validator and whether ALTER ROUTINE LOAD may change it.
 */
public record PropertyDef(String name, Type type, String defaultValue, String doc, Validator validator,
                          boolean alterable) {

    public enum Type { STRING, BOOLEAN, INT, LONG, DOUBLE, ENUM, LIST, JSON, TIMEZONE, CHAR }

    /** Checks a value: returns null when valid, else what is allowed ("expected a positive integer"). */
    @FunctionalInterface
    public interface Validator {
        String check(String value);
    }

    public PropertyDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(doc, "doc");
    }

    /** True for a prefix declaration such as {@code property.*}. */
    public boolean isPrefix() {
        return name.endsWith("*");
    }

    public boolean matches(String key) {
        if (isPrefix()) {
            String prefix = name.substring(0, name.length() - 1);
            return key.length() > prefix.length() && key.regionMatches(true, 0, prefix, 0, prefix.length());
        }
        return name.equalsIgnoreCase(key);
    }

    /** Null when {@code value} is acceptable, else what is allowed. */
    public String check(String value) {
        return validator == null ? null : validator.check(value);
    }

    // ------------------------------------------------------------------------------------ factories

    static PropertyDef string(String name, String doc, boolean alterable) {
        return new PropertyDef(name, Type.STRING, null, doc, NON_EMPTY, alterable);
    }

    static PropertyDef bool(String name, boolean dflt, String doc, boolean alterable) {
        return new PropertyDef(name, Type.BOOLEAN, Boolean.toString(dflt), doc, BOOLEAN, alterable);
    }

    static PropertyDef integer(String name, Type type, Long dflt, long min, long max, String doc,
                               boolean alterable) {
        return new PropertyDef(name, type, dflt == null ? null : dflt.toString(), doc, range(min, max),
                alterable);
    }

    static PropertyDef oneOf(String name, String dflt, String doc, boolean alterable, String... allowed) {
        return new PropertyDef(name, Type.ENUM, dflt, doc, oneOfValidator(allowed), alterable);
    }

    // ------------------------------------------------------------------------------------ validators

    static final ObjectMapper JSON = new ObjectMapper();

    static final Validator NON_EMPTY = v -> v.trim().isEmpty() ? "expected a non-empty value" : null;

    static final Validator ANY = v -> null;

    static final Validator BOOLEAN = v ->
            v.trim().equalsIgnoreCase("true") || v.trim().equalsIgnoreCase("false") ? null : "expected true or false";

    static Validator range(long min, long max) {
        String what;
        if (min == 1 && max == Long.MAX_VALUE) {
            what = "a positive integer";
        } else if (min == 0 && max == Long.MAX_VALUE) {
            what = "a non-negative integer";
        } else if (max == Long.MAX_VALUE) {
            what = "an integer of at least " + min;
        } else {
            what = "an integer between " + min + " and " + max;
        }
        return v -> {
            try {
                long l = Long.parseLong(v.trim());
                return l < min || l > max ? "expected " + what : null;
            } catch (NumberFormatException e) {
                return "expected " + what;
            }
        };
    }

    static final Validator RATIO = v -> {
        try {
            double d = Double.parseDouble(v.trim());
            return d >= 0 && d <= 1 ? null : "expected a number between 0 and 1";
        } catch (NumberFormatException e) {
            return "expected a number between 0 and 1";
        }
    };

    static Validator oneOfValidator(String... allowed) {
        List<String> list = Arrays.asList(allowed);
        String text = "expected one of " + String.join(", ", list);
        return v -> list.stream().anyMatch(a -> a.equalsIgnoreCase(v.trim())) ? null : text;
    }

    static final Validator TIMEZONE = v -> parseZone(v) == null
            ? "expected a time zone such as UTC, Asia/Shanghai or +08:00" : null;

    static ZoneId parseZone(String v) {
        String t = v.trim();
        if (t.isEmpty()) {
            return null;
        }
        if (t.equalsIgnoreCase("CST")) {
            return ZoneId.of("Asia/Shanghai"); // as StarRocks and Doris read it
        }
        try {
            return ZoneId.of(t);
        } catch (DateTimeException e) {
            try {
                return ZoneId.of(t, ZoneId.SHORT_IDS);
            } catch (DateTimeException e2) {
                return null;
            }
        }
    }

    static final Validator JSON_PATHS = v -> parseJsonPaths(v) == null
            ? "expected a JSON array of JSON paths, such as [\"$.id\", \"$.name\"]" : null;

    /** The paths of a jsonpaths value, or null when it is not a non-empty JSON array of '$...' strings. */
    static List<String> parseJsonPaths(String v) {
        JsonNode node;
        try {
            node = JSON.readTree(v);
        } catch (Exception e) {
            return null;
        }
        if (node == null || !node.isArray() || node.isEmpty()) {
            return null;
        }
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isTextual() || !n.asText().trim().startsWith("$")) {
                return null;
            }
            out.add(n.asText().trim());
        }
        return List.copyOf(out);
    }

    static final Validator JSON_ROOT = v -> v.trim().startsWith("$") ? null
            : "expected a JSON path starting with '$', such as $.RECORDS";

    /** One character, or an escape such as \x01 or \t written as text. */
    static final Validator SINGLE_CHAR = v -> {
        if (v.length() == 1 || v.matches("\\\\x[0-9A-Fa-f]{2}") || v.matches("\\\\[tnr\\\\]")) {
            return null;
        }
        return "expected a single character";
    };

    /** A separator of 1 to 50 bytes (a \xNN escape counts as one byte). */
    static final Validator SEPARATOR = v -> {
        if (v.isEmpty()) {
            return "expected a non-empty separator";
        }
        return v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 50 && !v.startsWith("\\x")
                ? "expected a separator of at most 50 bytes" : null;
    };

    /** The declaration among {@code defs} that a key matches. */
    static Optional<PropertyDef> find(List<PropertyDef> defs, String key) {
        return defs.stream().filter(d -> d.matches(key)).findFirst();
    }

    /** Comma-separated names of the keys among {@code defs} that ALTER ROUTINE LOAD may change. */
    static String describeAlterable(List<PropertyDef> defs) {
        return describeAll(defs.stream().filter(PropertyDef::alterable).toList());
    }

    static String describeAll(List<PropertyDef> defs) {
        return defs.stream().map(PropertyDef::name).collect(Collectors.joining(", "));
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
