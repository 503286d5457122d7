package io.inlet.job;

import java.util.List;

/** What a statement returns: a table for SHOW, a message otherwise. */
public record SqlResult(List<String> columns, List<List<String>> rows, String message) {

    public static SqlResult ok(String message) {
        return new SqlResult(List.of(), List.of(), message);
    }

    public static SqlResult table(List<String> columns, List<List<String>> rows) {
        return new SqlResult(List.copyOf(columns), List.copyOf(rows), null);
    }

    public boolean isTable() {
        return !columns.isEmpty();
    }
}
