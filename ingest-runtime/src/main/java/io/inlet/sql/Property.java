package io.inlet.sql;

import java.util.Locale;
import java.util.Objects;

/**
 * One {@code "key" = "value"} of a PROPERTIES or FROM clause. {@code key} is kept as written (match it
 * case-insensitively, see {@link #matches}); {@code line}/{@code column} locate the key (0 when synthesised).
 * Positions do not take part in {@code equals}. {@link #toString()} masks secret values.
 */
public record Property(String key, String value, int line, int column) {
    public Property {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    public Property(String key, String value) {
        this(key, value, 0, 0);
    }

    /** The key in lower case, as used for matching. */
    public String normalizedKey() {
        return key.toLowerCase(Locale.ROOT);
    }

    public boolean matches(String k) {
        return key.equalsIgnoreCase(k);
    }

    public boolean isSecret() {
        return KafkaPropertyDefs.isSecret(key);
    }

    /** The value, or {@code ******} when the key names a secret. */
    public String maskedValue() {
        return KafkaPropertyDefs.mask(key, value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Property p && p.key.equalsIgnoreCase(key) && p.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(normalizedKey(), value);
    }

    @Override
    public String toString() {
        return key + "=" + maskedValue();
    }
}
