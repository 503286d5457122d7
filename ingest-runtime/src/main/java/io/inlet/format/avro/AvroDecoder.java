package io.inlet.format.avro;

import io.inlet.format.DecodeException;
import io.inlet.format.Decoder;
import io.inlet.format.RowConsumer;
import io.inlet.format.json.JsonPath;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

import java.io.IOException;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes Avro messages in Confluent's wire format — a zero magic byte, the writer schema's id as 4 bytes
 * big-endian, then the Avro binary datum — into one row each. Each column is a jsonpath into the record
 * ({@code $.address.city}, {@code $.tags[0]}, {@code $.attrs.color} for a map's key), or without jsonpaths the
 * top-level field of the column's name (case-insensitive).
 *
 * <p>Schema evolution: each message is read with the schema it was written with; a field that the writer's
 * schema lacks takes its default from the reader schema (the subject's latest), or NULL without one; a field
 * the reader schema dropped still loads from the messages that have it, since the table's column outlives a
 * schema version. One instance per task thread.
 */
public final class AvroDecoder implements Decoder {

    private static final byte MAGIC = 0;
    private static final Object MISSING = new Object();
    private static final GenericData DATA = new GenericData();

    static {
        DATA.addLogicalTypeConversion(new Conversions.DecimalConversion());
        DATA.addLogicalTypeConversion(new Conversions.UUIDConversion());
        DATA.addLogicalTypeConversion(new TimeConversions.DateConversion());
        DATA.addLogicalTypeConversion(new TimeConversions.TimeMillisConversion());
        DATA.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
        DATA.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        DATA.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        DATA.addLogicalTypeConversion(new TimeConversions.LocalTimestampMillisConversion());
        DATA.addLogicalTypeConversion(new TimeConversions.LocalTimestampMicrosConversion());
    }

    private final AvroSchemaSource schemas;
    /** One path per column: the column's field name when no jsonpaths are given. */
    private final List<JsonPath> paths;
    private final ZoneId zone;
    private final Object[] values;
    private final Map<Integer, Reading> readers = new HashMap<>();
    private Schema readerSchema;
    /** Per column, the reader schema's default for a field the writer lacks (null: none). */
    private Object[] defaults;
    private boolean readerKnown;
    private BinaryDecoder binary;

    /** The reader of one writer schema, and its last record, whose objects the next message's reuse. */
    private static final class Reading {
        final GenericDatumReader<Object> reader;
        Object reuse;

        Reading(GenericDatumReader<Object> reader) {
            this.reader = reader;
        }
    }

    private AvroDecoder(AvroSchemaSource schemas, List<JsonPath> paths, ZoneId zone) {
        this.schemas = schemas;
        this.paths = List.copyOf(paths);
        this.zone = zone;
        this.values = new Object[paths.size()];
    }

    public static AvroDecoder withJsonPaths(AvroSchemaSource schemas, List<JsonPath> paths, ZoneId zone) {
        return new AvroDecoder(schemas, paths, zone);
    }

    /** Each column is the record's top-level field of that name, compared case-insensitively. */
    public static AvroDecoder byName(AvroSchemaSource schemas, List<String> columns, ZoneId zone) {
        return new AvroDecoder(schemas, columns.stream().map(c -> JsonPath.parse("$['" + c.replace("'", "\\'") + "']"))
                .toList(), zone);
    }

    @Override
    public int columnCount() {
        return values.length;
    }

    @Override
    public void decode(byte[] message, RowConsumer out) throws DecodeException {
        if (message.length < 5) {
            throw new DecodeException("not an Avro message in the Confluent wire format: " + message.length
                    + " bytes, fewer than the 5 of its header");
        }
        if (message[0] != MAGIC) {
            throw new DecodeException(String.format("not an Avro message in the Confluent wire format: the first "
                    + "byte is 0x%02x, expected the magic byte 0x00", message[0] & 0xff));
        }
        int id = (message[1] & 0xff) << 24 | (message[2] & 0xff) << 16 | (message[3] & 0xff) << 8 | (message[4] & 0xff);
        Reading reading = readers.get(id);
        if (reading == null) {
            reading = newReader(id);
        }
        Object datum;
        binary = DecoderFactory.get().binaryDecoder(message, 5, message.length - 5, binary);
        try {
            datum = reading.reader.read(reading.reuse, binary);
            reading.reuse = datum; // the row holds converted values only, never the record's objects
            if (!binary.isEnd()) {
                throw new DecodeException("malformed Avro message of schema id " + id + ": bytes left after the record");
            }
        } catch (IOException | RuntimeException e) {
            throw new DecodeException("malformed Avro message of schema id " + id + ": " + describe(e));
        }
        for (int i = 0; i < values.length; i++) {
            Object v = select(datum, paths.get(i).segments());
            values[i] = v == MISSING ? defaults[i] : AvroValues.toInlet(v, zone);
        }
        out.accept(values);
    }

    private Reading newReader(int id) throws DecodeException {
        Schema writer = schemas.writer(id);
        // a writer schema not seen before may come with a newer reader schema
        Schema reader = schemas.reader(readerKnown);
        readerKnown = true;
        if (reader != readerSchema || defaults == null) {
            readerSchema = reader;
            defaults = defaults(reader);
        }
        Reading r = new Reading(new GenericDatumReader<>(writer, writer, DATA));
        readers.put(id, r);
        return r;
    }

    private Object[] defaults(Schema reader) {
        Object[] d = new Object[paths.size()];
        if (reader == null) {
            return d;
        }
        for (int i = 0; i < d.length; i++) {
            Schema.Field f = field(reader, paths.get(i).segments());
            if (f != null && f.hasDefaultValue()) {
                d[i] = AvroValues.toInlet(DATA.getDefaultValue(f), zone);
            }
        }
        return d;
    }

    /** The field the path ends at in {@code schema}, through records (and unions holding one), or null. */
    private static Schema.Field field(Schema schema, List<JsonPath.Segment> segments) {
        Schema s = schema;
        Schema.Field f = null;
        for (JsonPath.Segment seg : segments) {
            s = recordOf(s);
            if (s == null || seg.isIndex()) {
                return null;
            }
            f = fieldIgnoringCase(s, seg.name());
            if (f == null) {
                return null;
            }
            s = f.schema();
        }
        return f;
    }

    private static Schema recordOf(Schema s) {
        if (s.getType() == Schema.Type.RECORD) {
            return s;
        }
        if (s.getType() == Schema.Type.UNION) {
            for (Schema b : s.getTypes()) {
                if (b.getType() == Schema.Type.RECORD) {
                    return b;
                }
            }
        }
        return null;
    }

    private static Schema.Field fieldIgnoringCase(Schema record, String name) {
        Schema.Field f = record.getField(name);
        if (f != null) {
            return f;
        }
        for (Schema.Field x : record.getFields()) {
            if (x.name().equalsIgnoreCase(name)) {
                return x;
            }
        }
        return null;
    }

    /**
     * The value at the path: a record's field, a map's key, an array's index. MISSING when a record on the way
     * has no such field (its writer's schema lacks it); null for a null on the way, a missing key or index.
     */
    private static Object select(Object datum, List<JsonPath.Segment> segments) {
        Object v = datum;
        for (JsonPath.Segment seg : segments) {
            if (v == null) {
                return null;
            }
            if (seg.isIndex()) {
                if (v instanceof List<?> l) {
                    v = seg.index() < l.size() ? l.get(seg.index()) : null;
                } else {
                    return null;
                }
            } else if (v instanceof GenericRecord r) {
                Schema.Field f = fieldIgnoringCase(r.getSchema(), seg.name());
                if (f == null) {
                    return MISSING;
                }
                v = r.get(f.pos());
            } else if (v instanceof Map<?, ?> m) {
                v = mapGet(m, seg.name());
            } else {
                return null;
            }
        }
        return v;
    }

    private static Object mapGet(Map<?, ?> m, String key) {
        Object direct = m.get(new Utf8(key)); // the generic reader's keys
        if (direct != null) {
            return direct;
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (key.equals(String.valueOf(e.getKey()))) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        String what = e instanceof java.io.EOFException ? "the message ends inside the record"
                : e.getClass().getSimpleName();
        return m == null || m.isEmpty() ? what : what + " (" + m.toLowerCase(Locale.ROOT) + ")";
    }
}
