package io.inlet.format.avro;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.Schema;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * Avro values (as Avro's generic reader gives them, logical types converted) as Inlet's runtime values, the way
 * StarRocks maps Avro onto columns: int and long to BIGINT values, float and double to DOUBLE, boolean, string,
 * enum and uuid to text, bytes and fixed to their bytes as UTF-8 text, decimal to DECIMAL, date to DATE,
 * timestamp-millis/-micros to DATETIME in the job's time zone (local-timestamp-* as written), time-* to text, and
 * records, maps and arrays to JSON text (for STRING or JSON columns). A union's value is its branch's.
 */
final class AvroValues {

    private static final JsonFactory JSON = new JsonFactory();

    private AvroValues() {
    }

    static Object toInlet(Object v, ZoneId zone) {
        if (v == null || v instanceof Long || v instanceof Double || v instanceof Boolean || v instanceof BigDecimal
                || v instanceof LocalDate || v instanceof LocalDateTime) {
            return v;
        }
        if (v instanceof CharSequence s) {
            return s.toString();
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof Instant t) {
            return LocalDateTime.ofInstant(t, zone);
        }
        if (v instanceof UUID || v instanceof GenericEnumSymbol<?> || v instanceof LocalTime) {
            return v.toString();
        }
        if (v instanceof ByteBuffer b) {
            return bytes(b);
        }
        if (v instanceof GenericFixed f) {
            return new String(f.bytes(), StandardCharsets.UTF_8);
        }
        if (v instanceof GenericRecord || v instanceof Map<?, ?> || v instanceof Collection<?>) {
            return json(v, zone);
        }
        return v.toString();
    }

    private static String bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return new String(out, StandardCharsets.UTF_8);
    }

    /** A record, map or array as JSON text; its values as {@link #toInlet} gives them. */
    static String json(Object v, ZoneId zone) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            write(g, v, zone);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void write(JsonGenerator g, Object v, ZoneId zone) throws IOException {
        if (v instanceof GenericRecord r) {
            g.writeStartObject();
            for (Schema.Field f : r.getSchema().getFields()) {
                g.writeFieldName(f.name());
                write(g, r.get(f.pos()), zone);
            }
            g.writeEndObject();
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue(), zone);
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object o : c) {
                write(g, o, zone);
            }
            g.writeEndArray();
        } else {
            Object x = toInlet(v, zone);
            if (x == null) {
                g.writeNull();
            } else if (x instanceof Long l) {
                g.writeNumber(l);
            } else if (x instanceof Double d) {
                if (Double.isFinite(d)) {
                    g.writeNumber(d);
                } else {
                    g.writeString(d.toString());
                }
            } else if (x instanceof BigDecimal d) {
                g.writeNumber(d);
            } else if (x instanceof Boolean b) {
                g.writeBoolean(b);
            } else if (x instanceof LocalDateTime t) {
                g.writeString(t.toLocalDate() + " " + t.toLocalTime());
            } else {
                g.writeString(x.toString());
            }
        }
    }
}
