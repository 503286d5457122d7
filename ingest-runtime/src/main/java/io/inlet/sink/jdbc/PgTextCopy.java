package io.inlet.sink.jdbc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

/**
 * Rows in PostgreSQL's text {@code COPY} format: each value in the text form its column's type reads (the
 * type's input function), for tables with a column that has no binary encoding in {@link PgBinaryCopy}
 * (interval, time, inet, ranges, composite types, arrays...). COPY's format holds for a whole statement, so
 * such a table loads every column as text. An array column takes a JSON array, which becomes an array literal.
 */
final class PgTextCopy implements PgCopyEncoder {

    /** How a column's values are written. */
    enum Form {
        /** The value's text: strings as they are, numbers, dates and timestamps in ISO form. */
        TEXT,
        BOOL,
        /** A JSON array written as a PostgreSQL array literal (nested arrays are dimensions); any other text as it is. */
        ARRAY_FROM_JSON,
        /** The same for an array of json or jsonb: one dimension, each element its JSON text. */
        JSON_ARRAY_FROM_JSON
    }

    private static final int CHUNK = 256 * 1024;
    private static final JsonFactory JSON = new JsonFactory();

    private final Form[] forms;
    private final String[] names;
    /** The COPY's buffer, from its start to its finish: a session between batches holds none. */
    private byte[] buffer;
    private final StringBuilder text = new StringBuilder();
    private int length;
    private PgBinaryCopy.Output out;

    PgTextCopy(List<Form> forms, List<String> columnNames) {
        this.forms = forms.toArray(new Form[0]);
        this.names = columnNames.toArray(new String[0]);
    }

    @Override
    public void start(PgBinaryCopy.Output output) {
        out = output;
        length = 0;
        if (buffer == null) {
            buffer = new byte[CHUNK];
        }
    }

    @Override
    public void writeRow(Object[] row) throws SQLException {
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                putByte('\t');
            }
            Object v = row[i];
            if (v == null) {
                putByte('\\');
                putByte('N');
                continue;
            }
            switch (forms[i]) {
                case BOOL -> putByte((Boolean) v ? 't' : 'f');
                case TEXT -> putEscaped(textOf(v));
                case ARRAY_FROM_JSON -> putEscaped(arrayLiteral(i, v.toString(), false));
                case JSON_ARRAY_FROM_JSON -> putEscaped(arrayLiteral(i, v.toString(), true));
            }
        }
        putByte('\n');
    }

    @Override
    public void finish() throws SQLException {
        flush();
        out = null;
        buffer = null;
    }

    private static String textOf(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof LocalDateTime t) {
            return t.toLocalDate() + " " + t.toLocalTime();
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        return v.toString();
    }

    /** {@code [1, [2, null], "a"]} as {@code {"1",{"2",NULL},"a"}}; an object element as its JSON text. */
    private String arrayLiteral(int column, String json, boolean jsonElements) throws SQLException {
        if (json.isEmpty() || json.charAt(0) != '[') {
            return json;
        }
        text.setLength(0);
        try (JsonParser p = JSON.createParser(json)) {
            p.nextToken();
            appendArray(p, jsonElements);
            if (p.nextToken() != null) {
                throw new SQLException("column " + names[column] + ": trailing text after the JSON array " + json);
            }
        } catch (IOException e) {
            throw new SQLException("column " + names[column] + " (an array) takes a JSON array; "
                    + json + " is not one: " + e.getMessage(), e);
        }
        return text.toString();
    }

    private void appendArray(JsonParser p, boolean jsonElements) throws IOException {
        text.append('{');
        boolean first = true;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (!first) {
                text.append(',');
            }
            first = false;
            switch (t) {
                case VALUE_NULL -> text.append("NULL");
                case START_ARRAY, START_OBJECT -> {
                    if (t == JsonToken.START_ARRAY && !jsonElements) {
                        appendArray(p, false);
                    } else {
                        StringWriter json = new StringWriter();
                        try (JsonGenerator g = JSON.createGenerator(json)) {
                            g.copyCurrentStructure(p);
                        }
                        appendQuoted(json.toString());
                    }
                }
                case VALUE_STRING -> appendQuoted(jsonElements ? quotedJson(p.getText()) : p.getText());
                default -> appendQuoted(p.getText());
            }
        }
        text.append('}');
    }

    private static String quotedJson(String s) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeString(s);
        }
        return w.toString();
    }

    private void appendQuoted(String element) {
        text.append('"');
        for (int i = 0; i < element.length(); i++) {
            char c = element.charAt(i);
            if (c == '"' || c == '\\') {
                text.append('\\');
            }
            text.append(c);
        }
        text.append('"');
    }

    /** COPY text escapes: backslash, and the delimiters of columns and rows. */
    private void putEscaped(String s) throws SQLException {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '\\' -> {
                        putByte('\\');
                        putByte('\\');
                    }
                    case '\t' -> {
                        putByte('\\');
                        putByte('t');
                    }
                    case '\n' -> {
                        putByte('\\');
                        putByte('n');
                    }
                    case '\r' -> {
                        putByte('\\');
                        putByte('r');
                    }
                    default -> putByte(c);
                }
            } else {
                int end = i + 1;
                while (end < n && s.charAt(end) >= 0x80) {
                    end++;
                }
                byte[] bytes = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
                for (byte b : bytes) {
                    putByte(b);
                }
                i = end - 1;
            }
        }
    }

    private void putByte(int b) throws SQLException {
        if (length == buffer.length) {
            flush();
        }
        buffer[length++] = (byte) b;
    }

    private void flush() throws SQLException {
        if (length > 0) {
            out.write(buffer, 0, length);
            length = 0;
        }
    }
}
