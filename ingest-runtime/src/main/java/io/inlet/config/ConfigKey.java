package io.inlet.config;

import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration key, declared once: its type (a parser), default, documentation and
 * validation. Each key can be overridden by an environment variable: {@code INLET_} and the key
 * upper-cased with dots and dashes as underscores ({@code api.token} is {@code INLET_API_TOKEN}).
 */
public record ConfigKey<T>(String name, String doc, Function<String, T> parser, String defaultValue,
                           boolean required, boolean secret, Predicate<T> valid, String allowed) {

    public String envVar() {
        return "INLET_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public static ConfigKey<String> string(String name, String doc, String dflt) {
        return new ConfigKey<>(name, doc, s -> s, dflt, false, false, v -> true, "any text");
    }

    public static ConfigKey<String> secret(String name, String doc) {
        return new ConfigKey<>(name, doc, s -> s, null, false, true, v -> true, "any text");
    }

    public static ConfigKey<Integer> integer(String name, String doc, int dflt, int min, int max) {
        return new ConfigKey<>(name, doc, Integer::valueOf, String.valueOf(dflt), false, false,
                v -> v >= min && v <= max, "an integer from " + min + " to " + max);
    }

    public ConfigKey<T> requiredKey() {
        return new ConfigKey<>(name, doc, parser, defaultValue, true, secret, valid, allowed);
    }

    public ConfigKey<T> validatedBy(Predicate<T> check, String what) {
        return new ConfigKey<>(name, doc, parser, defaultValue, required, secret, check, what);
    }
}
