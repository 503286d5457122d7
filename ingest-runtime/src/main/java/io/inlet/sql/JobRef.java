package io.inlet.sql;

import io.inlet.expr.SqlText;

import java.util.Objects;

/** {@code [db.]name} of a Routine Load job; {@code db} is null when not written. */
public record JobRef(String db, String name) {
    public JobRef {
        Objects.requireNonNull(name, "name");
    }

    /** {@code db.name}, using {@code defaultDb} when the statement named no database (just the name if both are null). */
    public String qualified(String defaultDb) {
        String d = db != null ? db : defaultDb;
        return d == null ? name : d + "." + name;
    }

    /** SQL text: identifiers quoted when needed. */
    public String toSql() {
        return (db == null ? "" : SqlText.ident(db) + ".") + SqlText.ident(name);
    }

    @Override
    public String toString() {
        return db == null ? name : db + "." + name;
    }
}
