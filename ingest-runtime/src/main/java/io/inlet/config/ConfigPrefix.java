package io.inlet.config;

import java.util.Set;
import java.util.function.Predicate;

/**
 * A family of keys under one prefix, such as {@code catalog.kafka.property.}: each name it accepts is a key of its
 * own ({@link #key}), with the validation, secrecy and environment variable of a {@link ConfigKey}
 * ({@code catalog.kafka.property.sasl.password} is {@code INLET_CATALOG_KAFKA_PROPERTY_SASL_PASSWORD}).
 *
 * @param names      the names accepted after the prefix
 * @param secretName whether the value of a name must never be shown
 */
public record ConfigPrefix(String prefix, String doc, Set<String> names, Predicate<String> secretName) {

    public ConfigPrefix {
        names = Set.copyOf(names);
    }

    public ConfigKey<String> key(String name) {
        return new ConfigKey<>(prefix + name, doc, s -> s, null, false, secretName.test(name), v -> !v.isEmpty(),
                "a non-empty value");
    }

    /** The name after the prefix when {@code key} is one of this family's keys, else null. */
    public String nameOf(String key) {
        if (!key.startsWith(prefix)) {
            return null;
        }
        String name = key.substring(prefix.length());
        return names.contains(name) ? name : null;
    }
}
