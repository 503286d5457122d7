package io.inlet.format.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.inlet.format.DecodeException;
import io.inlet.format.Decoder;
import io.inlet.format.RowConsumer;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JSON messages with StarRocks Routine Load semantics ({@code jsonpaths}, {@code json_root},
 * {@code strip_outer_array}).
 *
 * <p>Single pass over the bytes with Jackson's streaming parser: the wanted paths form a trie, fields and
 * array elements nobody asked for are skipped with {@code skipChildren()}, and a value is materialised only
 * when a column wants it. Objects and arrays become their compact JSON text (numbers copied exactly as
 * written). Only a path that is both selected and has selected descendants (e.g. {@code $} together with
 * {@code $.a}) captures the text once and evaluates the descendants on it.
 *
 * <p>Values: string to String, integer to Long (BigInteger beyond 64 bits), other numbers to exact
 * BigDecimal, true/false to Boolean, null or a missing path to null.
 */
public final class JsonDecoder implements Decoder {

    /** Bound on the cache of case-insensitive field-name resolutions (keys seen in messages). */
    private static final int NAME_CACHE_LIMIT = 4096;
    private static final int[] NO_COLUMNS = new int[0];

    private final JsonFactory factory;
    private final int columnCount;
    private final boolean stripOuterArray;
    private final String jsonRootText;
    private final JsonPath.Segment[] rootSegments;
    private final Node rowTrie;

    // per-message scratch, reused
    private final List<Object[]> rows = new ArrayList<>();
    private int rowCount;
    private final StringBuilder text = new StringBuilder(256);
    private final Writer textWriter = new StringBuilderWriter(text);

    /** The fast path for flat objects, or null when the paths need the streaming parser. */
    private final FlatObjectScanner flat;
    private final Object[] flatRow;
    private final JsonPath jsonRoot;

    /** The same decoder without the fast path: what the fast path must agree with. */
    JsonDecoder streamingOnly() {
        return new JsonDecoder(columnCount, rowTrie, jsonRoot, stripOuterArray, null);
    }

    private JsonDecoder(int columnCount, Node rowTrie, JsonPath jsonRoot, boolean stripOuterArray,
                        FlatObjectScanner flat) {
        this.flat = flat;
        this.flatRow = new Object[columnCount];
        this.jsonRoot = jsonRoot;
        this.factory = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
        this.columnCount = columnCount;
        this.rowTrie = rowTrie;
        this.stripOuterArray = stripOuterArray;
        this.jsonRootText = jsonRoot == null ? null : jsonRoot.text();
        this.rootSegments = jsonRoot == null
                ? new JsonPath.Segment[0]
                : jsonRoot.segments().toArray(new JsonPath.Segment[0]);
    }

    /**
     * Value i of each row is the value at {@code jsonPaths[i]}, relative to each row element.
     *
     * @param jsonRoot nullable
     */
    public static JsonDecoder withJsonPaths(List<JsonPath> jsonPaths, JsonPath jsonRoot, boolean stripOuterArray) {
        if (jsonPaths.isEmpty()) {
            throw new IllegalArgumentException("jsonpaths must name at least one path");
        }
        Node root = new Node(false);
        for (int col = 0; col < jsonPaths.size(); col++) {
            Node n = root;
            for (JsonPath.Segment s : jsonPaths.get(col).segments()) {
                n = s.isIndex() ? n.indexChild(s.index()) : n.fieldChild(s.name());
            }
            n.addColumn(col);
        }
        List<String> topLevel = new ArrayList<>();
        for (JsonPath path : jsonPaths) {
            List<JsonPath.Segment> segments = path.segments();
            if (segments.size() == 1 && !segments.get(0).isIndex()) {
                topLevel.add(segments.get(0).name());
            }
        }
        boolean flatShape = jsonRoot == null && !stripOuterArray && topLevel.size() == jsonPaths.size()
                && topLevel.stream().distinct().count() == topLevel.size();
        return new JsonDecoder(jsonPaths.size(), root, jsonRoot, stripOuterArray,
                flatShape ? new FlatObjectScanner(topLevel, false) : null);
    }

    /**
     * Value i of each row is the top-level field named {@code columns[i]}, matched case-insensitively.
     *
     * @param jsonRoot nullable
     */
    public static JsonDecoder byName(List<String> columns, JsonPath jsonRoot, boolean stripOuterArray) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("at least one source column is needed");
        }
        Node root = new Node(true);
        for (int col = 0; col < columns.size(); col++) {
            String name = columns.get(col);
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("source column " + (col + 1) + " has no name");
            }
            if (root.lowerFields.containsKey(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("source column '" + name + "' is listed twice");
            }
            root.fieldChild(name).addColumn(col);
        }
        boolean flatShape = jsonRoot == null && !stripOuterArray;
        return new JsonDecoder(columns.size(), root, jsonRoot, stripOuterArray,
                flatShape ? new FlatObjectScanner(columns, true) : null);
    }

    @Override
    public int columnCount() {
        return columnCount;
    }

    @Override
    public void decode(byte[] message, RowConsumer out) throws DecodeException {
        rowCount = 0;
        if (message == null || message.length == 0) {
            throw new DecodeException("empty JSON message");
        }
        if (flat != null && flat.scan(message, flatRow)) {
            out.accept(flatRow);
            return;
        }
        try (JsonParser p = factory.createParser(message)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new DecodeException("empty JSON message");
            }
            if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
                throw new DecodeException("expected a JSON object or array, found " + describe(t));
            }
            boolean found = navigate(p, 0);
            if (p.nextToken() != null) {
                throw new DecodeException("malformed JSON at byte " + p.currentTokenLocation().getByteOffset()
                        + ": unexpected data after the end of the JSON value");
            }
            if (!found) {
                throw new DecodeException("json_root " + jsonRootText + " not found in the message");
            }
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException | RuntimeException e) {
            throw new DecodeException("malformed JSON: " + e.getMessage());
        }
        for (int i = 0; i < rowCount; i++) {
            out.accept(rows.get(i));
        }
    }

    /**
     * Walks from the current value (first token) towards json_root, consuming exactly this value.
     *
     * @return whether the json_root element was found (and its rows decoded)
     */
    private boolean navigate(JsonParser p, int depth) throws IOException, DecodeException {
        if (depth == rootSegments.length) {
            decodeRowRoot(p);
            return true;
        }
        JsonPath.Segment seg = rootSegments[depth];
        JsonToken t = p.currentToken();
        boolean found = false;
        if (!seg.isIndex() && t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean match = !found && seg.name().equals(p.currentName());
                p.nextToken();
                if (match) {
                    found = navigate(p, depth + 1);
                } else {
                    p.skipChildren();
                }
            }
        } else if (seg.isIndex() && t == JsonToken.START_ARRAY) {
            int i = 0;
            while (nextInArray(p)) {
                if (i++ == seg.index()) {
                    found = navigate(p, depth + 1);
                } else {
                    p.skipChildren();
                }
            }
        } else {
            p.skipChildren();
        }
        return found;
    }

    private void decodeRowRoot(JsonParser p) throws IOException, DecodeException {
        JsonToken t = p.currentToken();
        if (stripOuterArray) {
            if (t != JsonToken.START_ARRAY) {
                throw new DecodeException("strip_outer_array is true but " + rootName() + " is "
                        + withArticle(t) + ", not an array");
            }
            int element = 0;
            while (nextInArray(p)) {
                element++;
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    throw new DecodeException("array element " + element + " is " + withArticle(p.currentToken())
                            + ", expected a JSON object");
                }
                evaluate(rowTrie, p, nextRow());
            }
        } else {
            if (t == JsonToken.START_ARRAY) {
                throw new DecodeException("JSON data is an array, strip_outer_array must be set true");
            }
            if (t != JsonToken.START_OBJECT) {
                throw new DecodeException(rootName() + " is " + withArticle(t) + ", expected a JSON object");
            }
            evaluate(rowTrie, p, nextRow());
        }
    }

    /** Evaluates the trie node against the value at the current token, consuming exactly that value. */
    private void evaluate(Node n, JsonParser p, Object[] row) throws IOException {
        JsonToken t = p.currentToken();
        if (n.columns.length > 0) {
            boolean structured = t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY;
            if (!structured || !n.hasChildren()) {
                Object v = value(p, t);
                for (int c : n.columns) {
                    row[c] = v;
                }
                return;
            }
            // selected itself and has selected descendants: capture once, evaluate descendants on the text
            String captured = captureText(p);
            for (int c : n.columns) {
                row[c] = captured;
            }
            try (JsonParser q = factory.createParser(captured)) {
                q.nextToken();
                evaluateChildren(n, q, row);
            }
            return;
        }
        evaluateChildren(n, p, row);
    }

    private void evaluateChildren(Node n, JsonParser p, Object[] row) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT && n.fields != null) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                Node child = n.child(p.currentName());
                p.nextToken();
                if (child == null) {
                    p.skipChildren();
                } else {
                    evaluate(child, p, row);
                }
            }
        } else if (t == JsonToken.START_ARRAY && n.indices != null) {
            Node[] indices = n.indices;
            int i = 0;
            while (nextInArray(p)) {
                Node child = i < indices.length ? indices[i] : null;
                i++;
                if (child == null) {
                    p.skipChildren();
                } else {
                    evaluate(child, p, row);
                }
            }
        } else {
            p.skipChildren(); // a scalar, or a container with nothing selected inside
        }
    }

    private Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                JsonParser.NumberType nt = p.getNumberType();
                if (nt == JsonParser.NumberType.INT || nt == JsonParser.NumberType.LONG) {
                    return p.getLongValue();
                }
                return p.getBigIntegerValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDecimalValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case START_OBJECT:
            case START_ARRAY:
                return captureText(p);
            default:
                return null;
        }
    }

    /** Compact JSON text of the value at the current token (consumed); numbers are copied as written. */
    private String captureText(JsonParser p) throws IOException {
        text.setLength(0);
        try (JsonGenerator g = factory.createGenerator(textWriter)) {
            int depth = 0;
            JsonToken t = p.currentToken();
            while (true) {
                switch (t) {
                    case START_OBJECT -> {
                        g.writeStartObject();
                        depth++;
                    }
                    case START_ARRAY -> {
                        g.writeStartArray();
                        depth++;
                    }
                    case END_OBJECT -> {
                        g.writeEndObject();
                        depth--;
                    }
                    case END_ARRAY -> {
                        g.writeEndArray();
                        depth--;
                    }
                    case FIELD_NAME -> g.writeFieldName(p.currentName());
                    case VALUE_STRING -> g.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(p.getText());
                    case VALUE_TRUE -> g.writeBoolean(true);
                    case VALUE_FALSE -> g.writeBoolean(false);
                    case VALUE_NULL -> g.writeNull();
                    default -> throw new IOException("unexpected token " + t);
                }
                if (depth == 0) {
                    break;
                }
                t = p.nextToken();
                if (t == null) {
                    throw new IOException("unexpected end of input");
                }
            }
        }
        return text.toString();
    }

    /** Advances to the next array element; false at the end of the array. */
    private static boolean nextInArray(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new IOException("unexpected end of input in an array");
        }
        return t != JsonToken.END_ARRAY;
    }

    private Object[] nextRow() {
        Object[] r;
        if (rowCount < rows.size()) {
            r = rows.get(rowCount);
            Arrays.fill(r, null);
        } else {
            r = new Object[columnCount];
            rows.add(r);
        }
        rowCount++;
        return r;
    }

    private String rootName() {
        return jsonRootText == null ? "the JSON data" : "json_root " + jsonRootText;
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "object";
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }

    private static String withArticle(JsonToken t) {
        String d = describe(t);
        return switch (d) {
            case "object", "array" -> "an " + d;
            case "null", "nothing" -> d;
            default -> "a " + d;
        };
    }

    private static DecodeException malformed(JsonProcessingException e) {
        String msg = e.getOriginalMessage();
        if (msg == null) {
            msg = e.getClass().getSimpleName();
        }
        int cut = msg.indexOf('\n');
        if (cut >= 0) {
            msg = msg.substring(0, cut);
        }
        cut = msg.indexOf(" (start marker at");
        if (cut >= 0) {
            msg = msg.substring(0, cut);
        }
        // "Unexpected character (',' (code 44)): expected a value" -> "unexpected character ',': expected a value"
        msg = msg.replaceAll("\\((\\S+|'.') \\(code \\d+\\)\\)", "$1");
        if (msg.length() > 160) {
            msg = msg.substring(0, 157) + "...";
        }
        if (!msg.isEmpty() && Character.isUpperCase(msg.charAt(0))) {
            msg = Character.toLowerCase(msg.charAt(0)) + msg.substring(1);
        }
        JsonLocation loc = e.getLocation();
        long offset = loc == null ? -1 : loc.getByteOffset();
        return new DecodeException(offset >= 0 ? "malformed JSON at byte " + offset + ": " + msg : "malformed JSON: " + msg);
    }

    /** A step of the path trie: the columns that want this value and the steps below it. */
    private static final class Node {
        private static final Node MISSING = new Node(false);

        final boolean caseInsensitive;
        int[] columns = NO_COLUMNS;
        Map<String, Node> fields;
        Map<String, Node> lowerFields;
        Map<String, Node> resolved;
        Node[] indices;

        Node(boolean caseInsensitive) {
            this.caseInsensitive = caseInsensitive;
            if (caseInsensitive) {
                fields = new HashMap<>();
                lowerFields = new HashMap<>();
                resolved = new HashMap<>();
            }
        }

        boolean hasChildren() {
            return fields != null || indices != null;
        }

        void addColumn(int col) {
            columns = Arrays.copyOf(columns, columns.length + 1);
            columns[columns.length - 1] = col;
        }

        Node fieldChild(String name) {
            if (fields == null) {
                fields = new HashMap<>();
            }
            Node n = fields.computeIfAbsent(name, k -> new Node(false));
            if (caseInsensitive) {
                lowerFields.put(name.toLowerCase(Locale.ROOT), n);
            }
            return n;
        }

        Node indexChild(int index) {
            if (indices == null || indices.length <= index) {
                indices = indices == null ? new Node[index + 1] : Arrays.copyOf(indices, index + 1);
            }
            if (indices[index] == null) {
                indices[index] = new Node(false);
            }
            return indices[index];
        }

        /** The child for a field name of a message, or null. */
        Node child(String name) {
            Node n = fields.get(name);
            if (n != null || !caseInsensitive) {
                return n;
            }
            n = resolved.get(name);
            if (n == null) {
                n = lowerFields.get(name.toLowerCase(Locale.ROOT));
                if (resolved.size() >= NAME_CACHE_LIMIT) {
                    resolved.clear();
                }
                resolved.put(name, n == null ? MISSING : n);
            }
            return n == MISSING ? null : n;
        }
    }

    /** An unsynchronized Writer appending to a reusable StringBuilder. */
    private static final class StringBuilderWriter extends Writer {
        private final StringBuilder sb;

        StringBuilderWriter(StringBuilder sb) {
            this.sb = sb;
        }

        @Override
        public void write(char[] cbuf, int off, int len) {
            sb.append(cbuf, off, len);
        }

        @Override
        public void write(int c) {
            sb.append((char) c);
        }

        @Override
        public void write(String str, int off, int len) {
            sb.append(str, off, off + len);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
