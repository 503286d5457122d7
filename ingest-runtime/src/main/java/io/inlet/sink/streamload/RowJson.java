package io.inlet.sink.streamload;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.inlet.expr.SqlType;
import io.inlet.sink.ColumnDef;
import io.inlet.sink.TableSchema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A row Inlet mapped, as the JSON object Stream Load reads into the table without a columns
 * header: keys are the table's column names, values already of the column's type (dates and
 * datetimes in the warehouses' text form).
 */
final class RowJson {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final List<ColumnDef> columns;
    /** One row's JSON, reused: its bytes go straight into the batch. */
    private static final class RowBytes extends ByteArrayOutputStream {
        boolean addTo(BodyPipe batch) throws InterruptedException {
            return batch.add(buf, 0, count);
        }
    }

    private final RowBytes buffer = new RowBytes();

    RowJson(TableSchema table) {
        this.columns = table.columns();
    }

    /** Writes the row into the batch; false when the load request has ended before the body did. */
    boolean write(Object[] row, BodyPipe batch) throws InterruptedException {
        buffer.reset();
        try (JsonGenerator g = FACTORY.createGenerator(buffer)) {
            g.writeStartObject();
            for (int i = 0; i < columns.size(); i++) {
                g.writeFieldName(columns.get(i).name());
                value(g, row[i], columns.get(i).type());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.addTo(batch);
    }

    private static void value(JsonGenerator g, Object v, SqlType type) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (type.kind() == SqlType.Kind.JSON) {
            g.writeRawValue(v.toString());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d.toPlainString());
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeString(Double.toString(d));
            }
        } else if (v instanceof LocalDateTime t) {
            g.writeString(DATETIME.format(t));
        } else if (v instanceof LocalDate d) {
            g.writeString(d.toString());
        } else {
            g.writeString(v.toString());
        }
    }
}
