package io.inlet.sink.streamload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.expr.KafkaMetadataFunctions;
import io.inlet.format.Separators;
import io.inlet.sink.LoadPlan;
import io.inlet.sql.CreateRoutineLoad;
import io.inlet.sql.JobProperties;
import io.inlet.streamload.Flavor;
import io.inlet.streamload.StreamLoadHeaders;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What of a job the warehouse does itself. Stream Load takes the job's COLUMNS, WHERE, PARTITION,
 * jsonpaths, json_root, strip_outer_array, separators, timezone, strict_mode and max_filter_ratio
 * as headers, so the Kafka messages go to it unparsed; Inlet keeps only what Stream Load cannot do
 * the same way, and then sends the mapped rows as JSON: CSV with enclose, escape or trim_space, whose
 * per-message quoting Inlet applies itself; Avro; and mappings that read the Kafka message's key, headers,
 * timestamp, partition or offset, which never reach Stream Load.
 */
record Pushdown(LoadPlan plan, BodyFormat body, Map<String, String> headers) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Pushdown of(Flavor flavor, CreateRoutineLoad statement, JobProperties p) {
        String warehouse = flavor.name().toLowerCase(Locale.ROOT);
        boolean csv = "csv".equals(p.format());
        if (csv && (p.enclose() != null || p.escape() != null || p.trimSpace())) {
            return decodeInInlet(flavor, p, warehouse, "CSV with enclose/escape/trim_space is parsed in Inlet");
        }
        if ("avro".equals(p.format())) {
            return decodeInInlet(flavor, p, warehouse, "Avro is decoded in Inlet");
        }
        Set<String> metadata = metadataCalls(statement);
        if (!metadata.isEmpty()) {
            return decodeInInlet(flavor, p, warehouse, "COLUMNS/WHERE read Kafka metadata, which Stream Load cannot: "
                    + String.join(", ", metadata));
        }
        StreamLoadHeaders.Builder h = StreamLoadHeaders.builder(flavor);
        BodyFormat body;
        String shape;
        if (csv) {
            byte[] sep = Separators.decode(statement.columnSeparator());
            byte[] rows = Separators.decode(statement.rowDelimiter() == null ? "\\n" : statement.rowDelimiter());
            h.put(StreamLoadHeaders.FORMAT, "csv");
            h.put(StreamLoadHeaders.COLUMN_SEPARATOR, StreamLoadHeaders.encodeDelimiter(sep));
            h.put(StreamLoadHeaders.rowDelimiterHeader(flavor), StreamLoadHeaders.encodeDelimiter(rows));
            body = BodyFormat.csv(rows);
            shape = "CSV rows joined by the row delimiter";
        } else {
            boolean lines = p.stripOuterArray() || p.jsonRoot() != null;
            String paths = p.jsonPaths() == null ? null : jsonArray(p.jsonPaths());
            h.json(paths, p.jsonRoot(), !lines || p.stripOuterArray(), lines);
            body = lines ? BodyFormat.jsonLines() : BodyFormat.jsonArray();
            shape = lines ? "JSON documents one per line" : "JSON messages joined as one array";
        }
        h.columns(statement.load().columnsSql());
        if (statement.load().where() != null) {
            h.where(statement.load().where().toSql());
        }
        h.timezone(p.timezone().getId());
        h.strictMode(p.strictMode());
        if (!statement.load().partitions().isEmpty()) {
            h.put(statement.load().temporaryPartitions() ? "temporary_partitions" : "partitions",
                    String.join(",", statement.load().partitions()));
        }
        if (p.partialUpdate()) {
            h.put(StreamLoadHeaders.PARTIAL_UPDATE, "true");
        }
        h.maxFilterRatio(p.maxFilterRatio());
        Map<String, String> headers = h.build();
        String pushed = Stream.of(StreamLoadHeaders.COLUMNS, StreamLoadHeaders.WHERE, StreamLoadHeaders.JSONPATHS,
                StreamLoadHeaders.JSON_ROOT).filter(headers::containsKey).collect(Collectors.joining("/"));
        return new Pushdown(LoadPlan.pushdown("Kafka messages forwarded unparsed to " + warehouse + " Stream Load ("
                + shape + (pushed.isEmpty() ? "" : "; " + pushed + " as headers") + ")"), body, headers);
    }

    /** The Kafka metadata functions COLUMNS and WHERE call, as written. */
    private static Set<String> metadataCalls(CreateRoutineLoad statement) {
        Set<String> calls = new LinkedHashSet<>();
        statement.load().columns().forEach(c -> {
            if (c.expr() != null) {
                calls.addAll(KafkaMetadataFunctions.callsIn(c.expr()));
            }
        });
        if (statement.load().where() != null) {
            calls.addAll(KafkaMetadataFunctions.callsIn(statement.load().where()));
        }
        return calls;
    }

    /** Inlet decodes and maps; the rows go as JSON objects keyed by the table's column names. */
    private static Pushdown decodeInInlet(Flavor flavor, JobProperties p, String warehouse, String why) {
        StreamLoadHeaders.Builder h = StreamLoadHeaders.builder(flavor);
        h.json(null, null, true, false);
        h.put(StreamLoadHeaders.TIMEZONE, p.timezone().getId());
        h.strictMode(true); // the values are converted already: one that does not fit is an error, not a NULL
        return new Pushdown(LoadPlan.decodeInInlet("Stream Load of the mapped rows as JSON to " + warehouse
                + " (" + why + ")"), BodyFormat.jsonArray(), h.build());
    }

    private static String jsonArray(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
