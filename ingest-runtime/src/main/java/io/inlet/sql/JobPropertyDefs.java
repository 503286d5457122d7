package io.inlet.sql;

import java.util.List;
import java.util.Optional;

import static io.inlet.sql.PropertyDef.Type;

/**
 * The keys of {@code PROPERTIES (...)} of CREATE / ALTER ROUTINE LOAD (StarRocks and Doris), each declared
 * once. Keys Inlet accepts for compatibility but does not act on say so in their doc.
 */
public final class JobPropertyDefs {
    private JobPropertyDefs() {
    }

    private static final String COMPAT = " Accepted for compatibility; Inlet does not use it.";
    private static final String PASSED = " Passed to StarRocks/Doris Stream Load; JDBC warehouses ignore it.";

    public static final List<PropertyDef> ALL = List.of(
            PropertyDef.oneOf("format", "csv", "Format of the messages: csv, json or avro.", false,
                    "csv", "json", "avro"),
            new PropertyDef("jsonpaths", Type.JSON, null,
                    "JSON array of JSON paths of the fields to load, in COLUMNS order (json and avro).",
                    PropertyDef.JSON_PATHS, true),
            new PropertyDef("json_root", Type.STRING, null,
                    "JSON path of the element to load instead of the whole message (json).",
                    PropertyDef.JSON_ROOT, true),
            PropertyDef.bool("strip_outer_array", false,
                    "Each element of an outermost JSON array is a row (json).", true),
            PropertyDef.integer("max_batch_interval", Type.LONG, 10L, 1, 3600,
                    "Seconds after which a batch is committed even if not full (StarRocks allows 5..60; "
                            + "Inlet 1..3600).", true),
            PropertyDef.integer("max_batch_rows", Type.LONG, 200000L, 1, Long.MAX_VALUE,
                    "Rows after which a batch is committed; 10 * max_batch_rows is the error window.", true),
            PropertyDef.integer("max_batch_size", Type.LONG, 104857600L, 1, Long.MAX_VALUE,
                    "Bytes after which a batch is committed.", true),
            PropertyDef.integer("max_error_number", Type.LONG, 0L, 0, Long.MAX_VALUE,
                    "Error rows tolerated in the error window before the job pauses.", true),
            new PropertyDef("max_filter_ratio", Type.DOUBLE, "1.0",
                    "Largest fraction (0..1) of rows filtered for bad data before the job pauses.",
                    PropertyDef.RATIO, true),
            PropertyDef.bool("strict_mode", false,
                    "Filter a row whose non-null source value does not convert to the column type.", true),
            new PropertyDef("timezone", Type.TIMEZONE, "UTC",
                    "Time zone of time functions such as from_unixtime (Inlet's default is UTC).",
                    PropertyDef.TIMEZONE, true),
            PropertyDef.integer("desired_concurrent_number", Type.INT, 3L, 1, 1024,
                    "Tasks (consumer threads) the job may run in parallel.", true),
            new PropertyDef("enclose", Type.CHAR, null,
                    "CSV: character wrapping field values (RFC 4180).", PropertyDef.SINGLE_CHAR, true),
            new PropertyDef("escape", Type.CHAR, null,
                    "CSV: character escaping separators, the enclose character and itself.",
                    PropertyDef.SINGLE_CHAR, true),
            PropertyDef.bool("trim_space", false, "CSV: remove blanks around column separators.", true),
            PropertyDef.bool("trim_double_quotes", false, "CSV (Doris): strip double quotes around fields.", true),
            new PropertyDef("column_separator", Type.STRING, null,
                    "CSV (Doris): column separator; the COLUMNS TERMINATED BY clause is preferred.",
                    PropertyDef.SEPARATOR, true),
            new PropertyDef("line_delimiter", Type.STRING, null,
                    "CSV (Doris): row delimiter; the ROWS TERMINATED BY clause is preferred.",
                    PropertyDef.SEPARATOR, true),
            PropertyDef.bool("partial_update", false, "Update only the listed columns (primary key tables)."
                    + PASSED, false),
            PropertyDef.oneOf("partial_update_mode", null, "row, column or auto." + PASSED, false,
                    "row", "column", "auto"),
            PropertyDef.bool("partial_columns", false, "Doris: partial column update." + PASSED, true),
            PropertyDef.string("merge_condition",
                    "Column whose new value must be >= the stored one for an update to apply." + PASSED, false),
            PropertyDef.integer("log_rejected_record_num", Type.LONG, 0L, -1, Long.MAX_VALUE,
                    "Rejected rows to log: 0 none, -1 all, n at most n.", false),
            PropertyDef.integer("task_consume_second", Type.LONG, null, 1, Long.MAX_VALUE,
                    "Longest consumption per task in seconds." + COMPAT, true),
            PropertyDef.integer("task_timeout_second", Type.LONG, null, 1, Long.MAX_VALUE,
                    "Task timeout in seconds." + COMPAT, true),
            PropertyDef.integer("exec_mem_limit", Type.LONG, null, 1, Long.MAX_VALUE,
                    "Memory limit of a load task in bytes." + COMPAT, false),
            PropertyDef.integer("send_batch_parallelism", Type.INT, null, 1, Long.MAX_VALUE,
                    "Doris: parallelism of sending batches." + PASSED, false),
            PropertyDef.bool("load_to_single_tablet", false,
                    "Doris: load a task into one tablet of a random-bucketed table." + PASSED, false),
            PropertyDef.bool("fuzzy_parse", false, "JSON (Doris): all objects share the first one's keys.", true),
            PropertyDef.bool("num_as_string", false, "JSON (Doris): read numbers as strings, losing no precision.",
                    true),
            PropertyDef.bool("pause_on_fatal_parse_error", false,
                    "Pause the job on a message that cannot be parsed at all.", true),
            PropertyDef.bool("skip_on_fatal_parse_error", false,
                    "Skip a message that cannot be parsed at all instead of pausing.", true));

    public static Optional<PropertyDef> find(String key) {
        return PropertyDef.find(ALL, key);
    }

    /** Comma-separated names of all keys. */
    public static String knownNames() {
        return PropertyDef.describeAll(ALL);
    }

    /** Comma-separated names of the keys ALTER ROUTINE LOAD may change. */
    public static String alterableNames() {
        return PropertyDef.describeAlterable(ALL);
    }
}
