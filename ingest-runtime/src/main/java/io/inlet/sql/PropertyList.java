package io.inlet.sql;

import io.inlet.expr.SqlText;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The properties of one clause, in the order written. Keys are unique ignoring case. */
public record PropertyList(List<Property> items) {
    public static final PropertyList EMPTY = new PropertyList(List.of());

    public PropertyList {
        items = List.copyOf(items);
    }

    public static PropertyList of(Map<String, String> map) {
        List<Property> list = new ArrayList<>();
        map.forEach((k, v) -> list.add(new Property(k, v)));
        return new PropertyList(list);
    }

    /** The property with this key, ignoring case. */
    public Optional<Property> find(String key) {
        for (Property p : items) {
            if (p.matches(key)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public String get(String key, String dflt) {
        return find(key).map(Property::value).orElse(dflt);
    }

    public boolean contains(String key) {
        return find(key).isPresent();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** Lower-cased key → value, in the order written. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Property p : items) {
            m.put(p.normalizedKey(), p.value());
        }
        return Collections.unmodifiableMap(m);
    }

    /** Lower-cased key → value with secret values replaced by {@code ******}, for display. */
    public Map<String, String> asMaskedMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Property p : items) {
            m.put(p.normalizedKey(), p.maskedValue());
        }
        return Collections.unmodifiableMap(m);
    }

    /** These properties overridden by {@code changes}: changed keys keep their place, new ones are appended. */
    public PropertyList mergedWith(PropertyList changes) {
        List<Property> out = new ArrayList<>(items);
        for (Property c : changes.items) {
            boolean replaced = false;
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).matches(c.key())) {
                    out.set(i, c);
                    replaced = true;
                    break;
                }
            }
            if (!replaced) {
                out.add(c);
            }
        }
        return new PropertyList(out);
    }

    /** {@code ("k" = "v", ...)} over several lines, each indented by {@code indent}. */
    public String toSql(String indent, boolean masked) {
        if (items.isEmpty()) {
            return "()";
        }
        return items.stream()
                .map(p -> indent + SqlText.quote(p.key(), '"') + " = "
                        + SqlText.quote(masked ? p.maskedValue() : p.value(), '"'))
                .collect(Collectors.joining(",\n", "(\n", "\n)"));
    }

    @Override
    public String toString() {
        return asMaskedMap().toString();
    }
}
