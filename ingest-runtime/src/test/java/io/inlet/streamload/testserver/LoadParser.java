package io.inlet.streamload.testserver;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.streamload.Flavor;
import io.inlet.streamload.StreamLoadHeaders;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a Stream Load body into rows of a {@link TestTable} the way the headers say:
 * {@code format} (csv, json), {@code column_separator}, {@code row_delimiter} (StarRocks) /
 * {@code line_delimiter} (Doris) with the {@code \x} hex notation, {@code columns} (source names
 * in order, and {@code target = expression}), {@code jsonpaths}, {@code json_root},
 * {@code strip_outer_array}, {@code read_json_by_line} (Doris), {@code where},
 * {@code strict_mode}, {@code timezone}. Rows with the wrong number of columns, values that do
 * not convert (strict mode) and NULLs in NOT NULL columns are filtered; rows the WHERE rejects
 * are unselected. The body is read as a stream, record by record.
 */
final class LoadParser {

    /** What a body produced. */
    record Result(List<Object[]> rows, long total, long loaded, long filtered, long unselected, long bytes,
                  List<String> errors) {}

    /** The whole load fails (bad header, unreadable document): nothing is loaded. */
    static final class LoadFailure extends Exception {
        private static final long serialVersionUID = 1L;

        LoadFailure(String message) {
            super(message, null, false, false);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERRORS = 1000;

    private record Derived(String name, MiniExpr.Node expr) {}

    private final Flavor flavor;
    private final TestTable table;
    private final boolean json;
    private final byte[] columnSeparator;
    private final byte[] rowDelimiter;
    private final List<String> sourceNames = new ArrayList<>();
    private final List<Derived> derived = new ArrayList<>();
    private final List<List<Object>> jsonPaths;
    private final List<Object> jsonRoot;
    private final boolean stripOuterArray;
    private final boolean readJsonByLine;
    private final MiniExpr.Node where;
    private final boolean strict;
    private final ZoneId zone;

    private final List<Object[]> rows = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private long total;
    private long loaded;
    private long filtered;
    private long unselected;

    LoadParser(Flavor flavor, TestTable table, Map<String, String> headers) throws LoadFailure {
        this.flavor = flavor;
        this.table = table;
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        String format = h.getOrDefault(StreamLoadHeaders.FORMAT, "csv").trim().toLowerCase(Locale.ROOT);
        if (!format.equals("csv") && !format.equals("json")) {
            throw new LoadFailure("unknown data format: " + format);
        }
        this.json = format.equals("json");
        this.columnSeparator = StreamLoadHeaders.decodeDelimiter(h.getOrDefault(StreamLoadHeaders.COLUMN_SEPARATOR, "\t"));
        String rowHeader = StreamLoadHeaders.rowDelimiterHeader(flavor);
        this.rowDelimiter = StreamLoadHeaders.decodeDelimiter(h.getOrDefault(rowHeader, "\n"));
        if (columnSeparator.length == 0 || rowDelimiter.length == 0) {
            throw new LoadFailure("empty column separator or row delimiter");
        }
        String columns = h.get(StreamLoadHeaders.COLUMNS);
        if (columns != null && !columns.isBlank()) {
            for (String item : splitTopLevel(columns)) {
                int eq = assignment(item);
                if (eq < 0) {
                    sourceNames.add(unquote(item.trim()));
                } else {
                    String target = unquote(item.substring(0, eq).trim());
                    if (table.indexOf(target) < 0) {
                        throw new LoadFailure("Unknown column '" + target + "' in table '" + table.name() + "'");
                    }
                    try {
                        derived.add(new Derived(target, MiniExpr.parse(item.substring(eq + 1))));
                    } catch (MiniExpr.ExprException e) {
                        throw new LoadFailure("invalid columns expression '" + item.trim() + "': " + e.getMessage());
                    }
                }
            }
        } else {
            for (TestTable.Column c : table.columns()) {
                sourceNames.add(c.name());
            }
        }
        String jp = h.get(StreamLoadHeaders.JSONPATHS);
        if (jp != null && !jp.isBlank()) {
            try {
                JsonNode arr = JSON.readTree(jp);
                if (!arr.isArray()) {
                    throw new LoadFailure("Invalid json path: jsonpaths must be a JSON array: " + jp);
                }
                List<List<Object>> paths = new ArrayList<>();
                for (JsonNode p : arr) {
                    paths.add(parsePath(p.asText()));
                }
                this.jsonPaths = paths;
            } catch (JsonProcessingException e) {
                throw new LoadFailure("Invalid json path: " + jp);
            }
        } else {
            this.jsonPaths = null;
        }
        String root = h.get(StreamLoadHeaders.JSON_ROOT);
        this.jsonRoot = root == null || root.isBlank() ? null : parsePath(root);
        this.stripOuterArray = Boolean.parseBoolean(h.getOrDefault(StreamLoadHeaders.STRIP_OUTER_ARRAY, "false").trim());
        this.readJsonByLine = Boolean.parseBoolean(h.getOrDefault(StreamLoadHeaders.READ_JSON_BY_LINE, "false").trim());
        String w = h.get(StreamLoadHeaders.WHERE);
        try {
            this.where = w == null || w.isBlank() ? null : MiniExpr.parse(w);
        } catch (MiniExpr.ExprException e) {
            throw new LoadFailure("invalid where '" + w + "': " + e.getMessage());
        }
        this.strict = Boolean.parseBoolean(h.getOrDefault(StreamLoadHeaders.STRICT_MODE, "false").trim());
        try {
            this.zone = ZoneId.of(h.getOrDefault(StreamLoadHeaders.TIMEZONE, "Asia/Shanghai").trim());
        } catch (DateTimeException e) {
            throw new LoadFailure("unknown time zone " + h.get(StreamLoadHeaders.TIMEZONE));
        }
    }

    Result parse(InputStream body) throws IOException, LoadFailure {
        CountingInputStream in = new CountingInputStream(body);
        if (table.countOnly()) {
            long n = json ? countJsonRecords(in) : countCsvRecords(in);
            total += n;
            loaded += n;
            return new Result(rows, total, loaded, filtered, unselected, in.count, errors);
        }
        if (json) {
            parseJson(in);
        } else {
            parseCsv(in);
        }
        return new Result(rows, total, loaded, filtered, unselected, in.count, errors);
    }

    // ---------------------------------------------------------------- counting tables

    /**
     * A counting table's JSON: records counted by structure alone (the elements of an outer array
     * with strip_outer_array, else the documents), without evaluating columns — a cheap endpoint for
     * benchmarks, where the test server shares the machine with what is measured.
     */
    private long countJsonRecords(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long records = 0;
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        boolean outerArray = false;
        int n;
        while ((n = in.read(buf)) > 0) {
            int i = 0;
            while (i < n) {
                byte b = buf[i++];
                if (inString) {
                    if (escaped) {
                        escaped = false;
                    } else if (b == '\\') {
                        escaped = true;
                    } else if (b == '"') {
                        inString = false;
                    } else {
                        while (i < n && !STRING_STOP[buf[i] & 0xff]) {
                            i++;
                        }
                    }
                } else if (b == '"') {
                    inString = true;
                } else if (b == '{' || b == '[') {
                    if (depth == 0) {
                        outerArray = b == '[' && stripOuterArray;
                    }
                    depth++;
                } else if (b == '}' || b == ']') {
                    depth--;
                    if (depth == (outerArray ? 1 : 0) && b == '}') {
                        records++;
                    }
                } else {
                    while (i < n && !STRUCTURE[buf[i] & 0xff]) {
                        i++;
                    }
                }
            }
        }
        return records;
    }

    /** Bytes that end a run of plain bytes inside a JSON string, and outside one. */
    private static final boolean[] STRING_STOP = new boolean[256];
    private static final boolean[] STRUCTURE = new boolean[256];

    static {
        STRING_STOP['"'] = true;
        STRING_STOP['\\'] = true;
        for (char c : new char[] {'"', '{', '}', '[', ']'}) {
            STRUCTURE[c] = true;
        }
    }

    /** A counting table's CSV: the rows, counted by their delimiter. */
    private long countCsvRecords(InputStream in) throws IOException {
        RecordReader reader = new RecordReader(in, rowDelimiter);
        long records = 0;
        while (reader.next() != null) {
            records++;
        }
        return records;
    }

    // ---------------------------------------------------------------- CSV

    private void parseCsv(InputStream in) throws IOException, LoadFailure {
        RecordReader reader = new RecordReader(in, rowDelimiter);
        byte[] record;
        int expected = sourceNames.size();
        while ((record = reader.next()) != null) {
            List<String> fields = split(record, columnSeparator);
            if (fields.size() != expected) {
                total++;
                filter("actual column number " + (fields.size() < expected ? "is less than" : "is more than")
                        + " schema column number. actual number: " + fields.size() + ", schema column number: "
                        + expected, new String(record, StandardCharsets.UTF_8));
                continue;
            }
            Map<String, Object> src = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 0; i < expected; i++) {
                String f = fields.get(i);
                src.put(sourceNames.get(i), "\\N".equals(f) ? null : f);
            }
            process(src, record.length < 512 ? new String(record, StandardCharsets.UTF_8) : null);
        }
    }

    private static List<String> split(byte[] record, byte[] sep) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i <= record.length - sep.length) {
            if (matches(record, i, sep)) {
                out.add(new String(record, start, i - start, StandardCharsets.UTF_8));
                i += sep.length;
                start = i;
            } else {
                i++;
            }
        }
        out.add(new String(record, start, record.length - start, StandardCharsets.UTF_8));
        return out;
    }

    private static boolean matches(byte[] buf, int at, byte[] pattern) {
        for (int k = 0; k < pattern.length; k++) {
            if (buf[at + k] != pattern[k]) {
                return false;
            }
        }
        return true;
    }

    /** Splits a stream on a (possibly multi-byte) delimiter, one record at a time. */
    static final class RecordReader {
        private final InputStream in;
        private final byte[] delimiter;
        private byte[] buf = new byte[64 * 1024];
        private int start;
        private int end;
        private int scanned;
        private boolean eof;

        RecordReader(InputStream in, byte[] delimiter) {
            this.in = in;
            this.delimiter = delimiter;
        }

        byte[] next() throws IOException {
            while (true) {
                int from = Math.max(start, scanned);
                for (int i = from; i <= end - delimiter.length; i++) {
                    if (buf[i] == delimiter[0] && matches(buf, i, delimiter)) {
                        byte[] rec = Arrays.copyOfRange(buf, start, i);
                        start = i + delimiter.length;
                        scanned = start;
                        return rec;
                    }
                }
                scanned = Math.max(start, end - delimiter.length + 1);
                if (eof) {
                    if (start < end) {
                        byte[] rec = Arrays.copyOfRange(buf, start, end);
                        start = end;
                        return rec;
                    }
                    return null;
                }
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    scanned -= start;
                    start = 0;
                }
                if (end == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    eof = true;
                } else {
                    end += n;
                }
            }
        }
    }

    // ---------------------------------------------------------------- JSON

    private void parseJson(InputStream in) throws IOException, LoadFailure {
        JsonFactory factory = JSON.getFactory();
        try (JsonParser p = factory.createParser(in)) {
            int documents = 0;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                documents++;
                if (flavor == Flavor.DORIS && !readJsonByLine && documents > 1) {
                    throw new LoadFailure("[DATA_QUALITY_ERROR]Parse json data failed: the body holds more than one "
                            + "JSON document; set read_json_by_line: true for newline-delimited JSON");
                }
                if (t == JsonToken.START_ARRAY && stripOuterArray && jsonRoot == null) {
                    // stream the elements of the outer array
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        JsonNode element = p.readValueAsTree();
                        record(element);
                    }
                    continue;
                }
                JsonNode doc = p.readValueAsTree();
                JsonNode node = jsonRoot == null ? doc : select(doc, jsonRoot);
                if (node == null || node.isMissingNode()) {
                    total++;
                    filter("JSON Root not found", abbreviate(doc.toString()));
                    continue;
                }
                if (stripOuterArray) {
                    if (!node.isArray()) {
                        total++;
                        filter("JSON data is not an array-object, strip_outer_array must be FALSE",
                                abbreviate(node.toString()));
                        continue;
                    }
                    for (JsonNode element : node) {
                        record(element);
                    }
                } else if (node.isArray()) {
                    total++;
                    filter("JSON data is an array-object, strip_outer_array must be TRUE", abbreviate(node.toString()));
                } else {
                    record(node);
                }
            }
        } catch (JsonProcessingException e) {
            throw new LoadFailure("[DATA_QUALITY_ERROR]Parse json data failed: " + e.getOriginalMessage());
        }
    }

    private void record(JsonNode rec) throws LoadFailure {
        if (!rec.isObject() && jsonPaths == null) {
            total++;
            filter("JSON value is not an object", abbreviate(rec.toString()));
            return;
        }
        Map<String, Object> src = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (jsonPaths != null) {
            for (int i = 0; i < sourceNames.size(); i++) {
                Object v = null;
                if (i < jsonPaths.size()) {
                    v = value(select(rec, jsonPaths.get(i)));
                }
                src.put(sourceNames.get(i), v);
            }
        } else {
            for (String name : sourceNames) {
                src.put(name, value(rec.get(name)));
            }
        }
        process(src, null);
    }

    private static Object value(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? (Object) n.asLong() : (Object) new BigDecimal(n.bigIntegerValue());
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        return n.toString();
    }

    /** A JSON path: {@code $.a.b[0]}, {@code $['a']}, or a bare {@code a.b}. Steps are String keys or Integer indexes. */
    private static List<Object> parsePath(String path) throws LoadFailure {
        String p = path.trim();
        List<Object> steps = new ArrayList<>();
        int i = 0;
        if (p.startsWith("$")) {
            i = 1;
        } else if (!p.isEmpty()) {
            p = "." + p;
        }
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '.') {
                int j = i + 1;
                while (j < p.length() && p.charAt(j) != '.' && p.charAt(j) != '[') {
                    j++;
                }
                if (j == i + 1) {
                    throw new LoadFailure("Invalid json path: " + path);
                }
                steps.add(p.substring(i + 1, j));
                i = j;
            } else if (c == '[') {
                int j = p.indexOf(']', i);
                if (j < 0) {
                    throw new LoadFailure("Invalid json path: " + path);
                }
                String inner = p.substring(i + 1, j).trim();
                if (inner.startsWith("'") || inner.startsWith("\"")) {
                    steps.add(inner.substring(1, inner.length() - 1));
                } else if (inner.equals("*")) {
                    throw new LoadFailure("Invalid json path (wildcards are not supported): " + path);
                } else {
                    try {
                        steps.add(Integer.parseInt(inner));
                    } catch (NumberFormatException e) {
                        throw new LoadFailure("Invalid json path: " + path);
                    }
                }
                i = j + 1;
            } else {
                throw new LoadFailure("Invalid json path: " + path);
            }
        }
        return steps;
    }

    private static JsonNode select(JsonNode node, List<Object> steps) {
        JsonNode cur = node;
        for (Object s : steps) {
            if (cur == null) {
                return null;
            }
            cur = s instanceof Integer idx ? cur.get(idx) : cur.get((String) s);
        }
        return cur;
    }

    // ---------------------------------------------------------------- mapping

    private void process(Map<String, Object> src, String raw) throws LoadFailure {
        total++;
        Map<String, Object> env = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        env.putAll(src);
        Map<String, Object> derivedValues = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        try {
            for (Derived d : derived) {
                Object v = d.expr.eval(MiniExpr.env(env, zone));
                env.put(d.name, v);
                derivedValues.put(d.name, v);
            }
        } catch (MiniExpr.ExprException e) {
            throw new LoadFailure("columns: " + e.getMessage());
        }
        List<TestTable.Column> cols = table.columns();
        Object[] row = new Object[cols.size()];
        String error = null;
        for (int i = 0; i < cols.size(); i++) {
            TestTable.Column c = cols.get(i);
            Object v = derivedValues.containsKey(c.name()) ? derivedValues.get(c.name()) : src.get(c.name());
            try {
                row[i] = TestTable.convert(v, c.type());
            } catch (TestTable.ConversionException e) {
                row[i] = null;
                if (strict && error == null) {
                    error = "column '" + c.name() + "': " + e.getMessage() + " (strict mode)";
                }
            }
            if (row[i] == null && !c.nullable() && error == null) {
                error = "NULL value in non-nullable column '" + c.name() + "'";
            }
        }
        if (where != null) {
            Map<String, Object> wenv = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            wenv.putAll(env);
            for (int i = 0; i < cols.size(); i++) {
                wenv.put(cols.get(i).name(), row[i]);
            }
            Boolean keep;
            try {
                keep = MiniExpr.truth(where.eval(MiniExpr.env(wenv, zone)));
            } catch (MiniExpr.ExprException e) {
                throw new LoadFailure("where: " + e.getMessage());
            }
            if (!Boolean.TRUE.equals(keep)) {
                unselected++;
                return;
            }
        }
        if (error != null) {
            filtered++;
            addError(error, raw != null ? raw : abbreviate(new LinkedHashMap<>(src).toString()));
            return;
        }
        loaded++;
        if (!table.countOnly()) {
            rows.add(row);
        }
    }

    private void filter(String reason, String raw) {
        filtered++;
        addError(reason, raw);
    }

    private void addError(String reason, String raw) {
        if (errors.size() < MAX_ERRORS) {
            errors.add("Error: " + reason + ". Row: " + (raw == null ? "" : abbreviate(raw)));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    // ---------------------------------------------------------------- columns header

    /** Splits on commas outside parentheses and quotes. */
    static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        out.removeIf(x -> x.isBlank());
        return out;
    }

    /** Index of the {@code =} of {@code name = expr}, or -1. */
    private static int assignment(String item) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < item.length(); i++) {
            char c = item.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '=' && depth == 0) {
                char prev = i > 0 ? item.charAt(i - 1) : ' ';
                if (prev != '<' && prev != '>' && prev != '!') {
                    return i;
                }
            }
        }
        return -1;
    }

    private static String unquote(String name) {
        return name.startsWith("`") && name.endsWith("`") && name.length() > 1 ? name.substring(1, name.length() - 1) : name;
    }

    /** Counts the bytes read (LoadBytes). */
    private static final class CountingInputStream extends InputStream {
        private final InputStream in;
        long count;

        CountingInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
