package io.inlet.format;

import io.inlet.format.avro.AvroDecoder;
import io.inlet.format.csv.CsvDecoder;
import io.inlet.format.json.JsonDecoder;
import io.inlet.format.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Builds the decoder a {@link DecoderSpec} describes; one per task thread. */
public final class Decoders {

    private Decoders() {
    }

    /**
     * @throws IllegalArgumentException with a message fit for the user when the spec is invalid (unknown
     *     format, no columns, a separator over 50 bytes, an enclose or escape that is not a single byte,
     *     unsupported jsonpath syntax, ...)
     */
    public static Decoder create(DecoderSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("decoder spec must not be null");
        }
        String format = spec.format() == null ? "" : spec.format().strip().toLowerCase(Locale.ROOT);
        return switch (format) {
            case "json" -> json(spec);
            case "csv" -> csv(spec);
            case "avro" -> avro(spec);
            default -> throw new IllegalArgumentException("unsupported format '" + spec.format()
                    + "': expected json, csv or avro");
        };
    }

    private static Decoder avro(DecoderSpec spec) {
        if (spec.avroSchemas() == null) {
            throw new IllegalArgumentException("format avro needs a schema registry: 'confluent.schema.registry.url'");
        }
        if (spec.jsonPaths() != null && !spec.jsonPaths().isEmpty()) {
            List<JsonPath> paths = new ArrayList<>(spec.jsonPaths().size());
            for (String p : spec.jsonPaths()) {
                paths.add(parsePath("jsonpaths", p));
            }
            return AvroDecoder.withJsonPaths(spec.avroSchemas(), paths, spec.timezone());
        }
        return AvroDecoder.byName(spec.avroSchemas(), columns(spec), spec.timezone());
    }

    private static Decoder json(DecoderSpec spec) {
        JsonPath root = null;
        if (spec.jsonRoot() != null && !spec.jsonRoot().isBlank()) {
            root = parsePath("json_root", spec.jsonRoot());
        }
        if (spec.jsonPaths() != null && !spec.jsonPaths().isEmpty()) {
            List<JsonPath> paths = new ArrayList<>(spec.jsonPaths().size());
            for (String p : spec.jsonPaths()) {
                paths.add(parsePath("jsonpaths", p));
            }
            return JsonDecoder.withJsonPaths(paths, root, spec.stripOuterArray());
        }
        return JsonDecoder.byName(columns(spec), root, spec.stripOuterArray());
    }

    private static Decoder csv(DecoderSpec spec) {
        List<String> columns = columns(spec);
        byte[] sep = separator("column separator", spec.columnSeparator(), ",");
        byte[] delim = separator("row delimiter", spec.rowDelimiter(), "\n");
        Byte enclose = singleByte("enclose", spec.enclose());
        Byte escape = singleByte("escape", spec.escape());
        return new CsvDecoder(columns.size(), sep, delim, enclose, escape, spec.trimSpace());
    }

    private static List<String> columns(DecoderSpec spec) {
        if (spec.sourceColumns() == null || spec.sourceColumns().isEmpty()) {
            throw new IllegalArgumentException("at least one source column is needed");
        }
        return spec.sourceColumns();
    }

    private static JsonPath parsePath(String property, String path) {
        try {
            return JsonPath.parse(path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + ": " + e.getMessage(), e);
        }
    }

    private static byte[] separator(String what, String written, String dflt) {
        if (written == null) {
            written = dflt;
        }
        try {
            return Separators.decode(written);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    /** enclose / escape: absent when null or empty, else exactly one byte (escapes as for separators). */
    private static Byte singleByte(String what, String written) {
        if (written == null || written.isEmpty() || written.equalsIgnoreCase("NONE")) {
            return null;
        }
        byte[] b;
        try {
            b = Separators.decode(written);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        if (b.length != 1) {
            throw new IllegalArgumentException(what + " must be a single byte, got '" + written + "' ("
                    + b.length + " bytes)");
        }
        return b[0];
    }
}
