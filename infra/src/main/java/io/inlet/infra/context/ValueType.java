package io.inlet.infra.context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How a raw context value (JSON from cdk.context.json, or a string from {@code cdk -c key=value}) becomes a typed
 * value, and what is allowed, in words, for error messages.
 */
public interface ValueType<T> {

    /** What a valid value looks like, for the "allowed:" part of an error message. */
    String allowed();

    /** Parses and validates; throws {@link Invalid} when the raw value is not allowed. */
    T parse(Object raw);

    /** The same type described differently. */
    default ValueType<T> withAllowed(String allowed) {
        ValueType<T> self = this;
        return new ValueType<>() {
            public String allowed() {
                return allowed;
            }

            public T parse(Object raw) {
                return self.parse(raw);
            }
        };
    }

    /** A raw value that is not allowed; the message is optional detail about which part was wrong. */
    final class Invalid extends RuntimeException {
        public Invalid(String detail) {
            super(detail, null, false, false);
        }
    }

    static ValueType<String> string(String allowed, Pattern pattern) {
        return new ValueType<>() {
            public String allowed() {
                return allowed;
            }

            public String parse(Object raw) {
                if (!(raw instanceof String s) || !pattern.matcher(s).matches()) {
                    throw new Invalid(null);
                }
                return s;
            }
        };
    }

    static ValueType<String> string(String allowed, String regex) {
        return string(allowed, Pattern.compile(regex));
    }

    static ValueType<Integer> integer(int min, int max) {
        return new ValueType<>() {
            public String allowed() {
                return "an integer from " + min + " to " + max;
            }

            public Integer parse(Object raw) {
                long value = wholeNumber(raw);
                if (value < min || value > max) {
                    throw new Invalid(null);
                }
                return (int) value;
            }
        };
    }

    static ValueType<Long> longInteger(long min, long max) {
        return new ValueType<>() {
            public String allowed() {
                return "an integer from " + min + " to " + max;
            }

            public Long parse(Object raw) {
                long value = wholeNumber(raw);
                if (value < min || value > max) {
                    throw new Invalid(null);
                }
                return value;
            }
        };
    }

    /** One of a fixed set of integers (Fargate CPU units, CloudWatch Logs retention days). */
    static ValueType<Integer> integerIn(List<Integer> values) {
        return new ValueType<>() {
            public String allowed() {
                return "one of " + values.stream().map(String::valueOf).collect(Collectors.joining(", "));
            }

            public Integer parse(Object raw) {
                long value = wholeNumber(raw);
                if (!values.contains((int) value) || value != (int) value) {
                    throw new Invalid(null);
                }
                return (int) value;
            }
        };
    }

    static ValueType<Boolean> bool() {
        return new ValueType<>() {
            public String allowed() {
                return "true or false";
            }

            public Boolean parse(Object raw) {
                if (raw instanceof Boolean b) {
                    return b;
                }
                if ("true".equals(raw)) {
                    return true;
                }
                if ("false".equals(raw)) {
                    return false;
                }
                throw new Invalid(null);
            }
        };
    }

    /** An enum whose context spelling is its lower-case name. */
    static <E extends Enum<E>> ValueType<E> oneOf(Class<E> type) {
        return oneOf(type.getEnumConstants());
    }

    /** A subset of an enum's constants. */
    @SafeVarargs
    static <E extends Enum<E>> ValueType<E> oneOf(E... allowedValues) {
        List<E> values = List.of(allowedValues);
        return new ValueType<>() {
            public String allowed() {
                return "one of " + values.stream().map(ValueType::spelling)
                        .map(s -> '"' + s + '"').collect(Collectors.joining(", "));
            }

            public E parse(Object raw) {
                for (E constant : values) {
                    if (spelling(constant).equals(raw)) {
                        return constant;
                    }
                }
                throw new Invalid(null);
            }
        };
    }

    static String spelling(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** An IPv4 CIDR block whose prefix length lies in [minPrefix, maxPrefix]. */
    static ValueType<String> cidr(int minPrefix, int maxPrefix) {
        Pattern pattern = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
        return new ValueType<>() {
            public String allowed() {
                return "an IPv4 CIDR block with a prefix length from /" + minPrefix + " to /" + maxPrefix;
            }

            public String parse(Object raw) {
                if (!(raw instanceof String s)) {
                    throw new Invalid(null);
                }
                var m = pattern.matcher(s);
                if (!m.matches()) {
                    throw new Invalid(null);
                }
                long address = 0;
                for (int i = 1; i <= 4; i++) {
                    int octet = Integer.parseInt(m.group(i));
                    if (octet > 255) {
                        throw new Invalid(null);
                    }
                    address = (address << 8) | octet;
                }
                int prefix = Integer.parseInt(m.group(5));
                if (prefix < minPrefix || prefix > maxPrefix) {
                    throw new Invalid(null);
                }
                long hostBits = (1L << (32 - prefix)) - 1;
                if ((address & hostBits) != 0) {
                    throw new Invalid("host bits set; the network address is required");
                }
                return s;
            }
        };
    }

    /** A list of elements of one type; detail names the first bad element (1-based). */
    static <E> ValueType<List<E>> listOf(ValueType<E> element, int minSize, boolean distinct) {
        return new ValueType<>() {
            public String allowed() {
                String size = minSize == 0 ? "a list of " : minSize == 1 ? "a non-empty list of "
                        : "a list of at least " + minSize + " ";
                return size + (distinct ? "distinct " : "") + "elements, each " + element.allowed();
            }

            public List<E> parse(Object raw) {
                if (!(raw instanceof List<?> list) || list.size() < minSize) {
                    throw new Invalid(null);
                }
                List<E> parsed = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    try {
                        E value = element.parse(list.get(i));
                        if (distinct && parsed.contains(value)) {
                            throw new Invalid("element " + (i + 1) + " " + Rendering.found(list.get(i)) + " repeats an earlier one");
                        }
                        parsed.add(value);
                    } catch (Invalid e) {
                        if (e.getMessage() != null && e.getMessage().startsWith("element ")) {
                            throw e;
                        }
                        throw new Invalid(e.getMessage() == null
                                ? "element " + (i + 1) + " " + Rendering.found(list.get(i)) + " is not allowed"
                                : "element " + (i + 1) + ": " + e.getMessage());
                    }
                }
                return List.copyOf(parsed);
            }
        };
    }

    /**
     * A JSON object with declared fields only; each field is parsed by its own type, missing optional fields are
     * absent from the map handed to the factory.
     */
    static <R> ValueType<R> object(String what, Map<String, ValueType<?>> required, Map<String, ValueType<?>> optional,
                                   Function<Map<String, Object>, R> factory) {
        return new ValueType<>() {
            public String allowed() {
                List<String> parts = new ArrayList<>();
                required.forEach((k, v) -> parts.add("\"" + k + "\": " + v.allowed()));
                optional.forEach((k, v) -> parts.add("optional \"" + k + "\": " + v.allowed()));
                return what + " {" + String.join("; ", parts) + "}";
            }

            public R parse(Object raw) {
                if (!(raw instanceof Map<?, ?> map)) {
                    throw new Invalid(null);
                }
                Set<Object> unknown = new java.util.LinkedHashSet<>(map.keySet());
                unknown.removeAll(required.keySet());
                unknown.removeAll(optional.keySet());
                if (!unknown.isEmpty()) {
                    throw new Invalid("unknown field \"" + unknown.iterator().next() + "\"");
                }
                Map<String, Object> values = new LinkedHashMap<>();
                for (var field : required.entrySet()) {
                    if (!map.containsKey(field.getKey())) {
                        throw new Invalid("field \"" + field.getKey() + "\" is missing");
                    }
                    values.put(field.getKey(), parseField(field.getKey(), field.getValue(), map.get(field.getKey())));
                }
                for (var field : optional.entrySet()) {
                    if (map.containsKey(field.getKey())) {
                        values.put(field.getKey(), parseField(field.getKey(), field.getValue(), map.get(field.getKey())));
                    }
                }
                return factory.apply(values);
            }

            private Object parseField(String name, ValueType<?> type, Object raw) {
                try {
                    return type.parse(raw);
                } catch (Invalid e) {
                    throw new Invalid("field \"" + name + "\" " + Rendering.found(raw) + " is not "
                            + type.allowed() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
                }
            }
        };
    }

    private static long wholeNumber(Object raw) {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
                return (long) d;
            }
            throw new Invalid(null);
        }
        if (raw instanceof String s && s.matches("-?\\d{1,15}")) {
            return Long.parseLong(s);
        }
        throw new Invalid(null);
    }
}
