package io.inlet.infra.context;

import java.util.Objects;

/**
 * One declared {@code hosted:*} context key: its name, type (which carries validation and the "allowed" wording),
 * default and documentation. Declared once in {@link InletContextKeys}; the README's table is generated from the
 * same declarations by {@link ContextDocumentation}.
 *
 * @param defaultValue the value used when the key is absent; {@code null} with {@code required} false means the key
 *                     is optional and absent stays absent
 * @param defaultDoc   how the default reads in documentation, when it is derived rather than a constant
 */
public record ContextKey<T>(String name, ValueType<T> type, boolean required, T defaultValue, String defaultDoc,
                            String doc) {

    public ContextKey {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
        Objects.requireNonNull(doc);
    }

    public static <T> ContextKey<T> required(String name, ValueType<T> type, String doc) {
        return new ContextKey<>(name, type, true, null, null, doc);
    }

    public static <T> ContextKey<T> withDefault(String name, ValueType<T> type, T defaultValue, String doc) {
        return new ContextKey<>(name, type, false, defaultValue, null, doc);
    }

    public static <T> ContextKey<T> optional(String name, ValueType<T> type, String doc) {
        return new ContextKey<>(name, type, false, null, null, doc);
    }

    /** Optional key whose effective default depends on other keys (resolved by the reader). */
    public static <T> ContextKey<T> derived(String name, ValueType<T> type, String defaultDoc, String doc) {
        return new ContextKey<>(name, type, false, null, defaultDoc, doc);
    }

    public String describeDefault() {
        if (required) {
            return "(required)";
        }
        if (defaultDoc != null) {
            return defaultDoc;
        }
        if (defaultValue == null) {
            return "(unset)";
        }
        return Rendering.found(defaultValue instanceof Enum<?> e ? ValueType.spelling(e) : defaultValue);
    }
}
