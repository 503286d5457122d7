package io.inlet.sink.streamload;

import io.inlet.format.Separators;
import io.inlet.sink.LoadPlan;
import io.inlet.sql.CreateRoutineLoad;
import io.inlet.sql.JobProperties;
import io.inlet.streamload.Flavor;
import io.inlet.streamload.StreamLoadHeaders;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * What of a job the warehouse does itself. Stream Load takes the job's COLUMNS, WHERE, PARTITION,
 * jsonpaths, json_root, strip_outer_array, separators, timezone, strict_mode and max_filter_ratio
 * as headers, so the Kafka messages go to it unparsed; Inlet keeps only what Stream Load cannot do
 * the same way: CSV with enclose, escape or trim_space, whose per-message quoting Inlet applies
 * itself and then sends the rows as JSON.
 */
record Pushdown(boolean forward, BodyFormat body, Map<String, String> headers, String description) {

    static Pushdown of(Flavor flavor, CreateRoutineLoad statement, JobProperties p) {
        String format = p.format();
        boolean csv = "csv".equals(format);
        if (csv && (p.enclose() != null || p.escape() != null || p.trimSpace())) {
            return decodeInInlet(flavor, p, "CSV with enclose/escape/trim_space");
        }
        StreamLoadHeaders.Builder h = StreamLoadHeaders.builder(flavor);
        BodyFormat body;
        String shape;
        if (csv) {
            byte[] sep = Separators.decode(separator(statement, p));
            byte[] rows = Separators.decode(rowDelimiter(statement, p));
            h.put(StreamLoadHeaders.FORMAT, "csv");
            h.put(StreamLoadHeaders.COLUMN_SEPARATOR, StreamLoadHeaders.encodeDelimiter(sep));
            h.put(StreamLoadHeaders.rowDelimiterHeader(flavor), StreamLoadHeaders.encodeDelimiter(rows));
            body = BodyFormat.csv(rows);
            shape = "CSV rows joined by the row delimiter";
        } else {
            boolean lines = p.stripOuterArray() || p.jsonRoot() != null;
            String paths = p.jsonPaths() == null ? null
                    : p.jsonPaths().stream().map(Pushdown::jsonString).collect(Collectors.joining(",", "[", "]"));
            h.json(paths, p.jsonRoot(), !lines || p.stripOuterArray(), lines);
            body = lines ? BodyFormat.jsonLines() : BodyFormat.jsonArray();
            shape = lines ? "JSON documents one per line" : "JSON messages joined as one array";
        }
        h.columns(statement.load().columnsSql());
        if (statement.load().where() != null) {
            h.where(statement.load().where().toSql());
        }
        common(h, statement, p);
        h.maxFilterRatio(p.maxFilterRatio());
        StringBuilder pushed = new StringBuilder();
        for (String k : new String[]{StreamLoadHeaders.COLUMNS, StreamLoadHeaders.WHERE, StreamLoadHeaders.JSONPATHS,
                StreamLoadHeaders.JSON_ROOT}) {
            if (h.build().containsKey(k)) {
                pushed.append(pushed.length() == 0 ? "" : "/").append(k);
            }
        }
        return new Pushdown(true, body, h.build(), LoadPlan.pushdown("Kafka messages forwarded unparsed to "
                + flavor.name().toLowerCase() + " Stream Load (" + shape + (pushed.length() == 0 ? "" : "; "
                + pushed + " as headers") + ")").description());
    }

    /** Inlet decodes and maps; the rows go as JSON objects keyed by the table's column names. */
    private static Pushdown decodeInInlet(Flavor flavor, JobProperties p, String why) {
        StreamLoadHeaders.Builder h = StreamLoadHeaders.builder(flavor);
        h.json(null, null, true, false);
        h.put(StreamLoadHeaders.TIMEZONE, p.timezone().getId());
        h.strictMode(true); // the values are converted already: one that does not fit is an error, not a NULL
        return new Pushdown(false, BodyFormat.jsonArray(), h.build(), LoadPlan.decodeInInlet(
                "Stream Load of the mapped rows as JSON to " + flavor.name().toLowerCase() + " (" + why
                        + " is parsed in Inlet)").description());
    }

    private static void common(StreamLoadHeaders.Builder h, CreateRoutineLoad statement, JobProperties p) {
        h.timezone(p.timezone().getId());
        h.strictMode(p.strictMode());
        if (!statement.load().partitions().isEmpty()) {
            h.put(statement.load().temporaryPartitions() ? "temporary_partitions" : "partitions",
                    String.join(",", statement.load().partitions()));
        }
        if (p.partialUpdate()) {
            h.put(StreamLoadHeaders.PARTIAL_UPDATE, "true");
        }
    }

    LoadPlan plan() {
        return new LoadPlan(forward, description);
    }

    private static String separator(CreateRoutineLoad statement, JobProperties p) {
        String s = statement.load().columnSeparator();
        return s != null ? s : p.raw().getOrDefault("column_separator", "\\t");
    }

    private static String rowDelimiter(CreateRoutineLoad statement, JobProperties p) {
        String s = statement.load().rowDelimiter();
        if (s == null) {
            s = p.raw().get("line_delimiter");
        }
        return s != null ? s : "\\n";
    }

    private static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
