package io.inlet.streamload;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Names of the Stream Load request headers Inlet uses, and a flavor-aware builder for the
 * pushdown headers (what a Routine Load's COLUMNS, WHERE and PROPERTIES become on the wire).
 */
public final class StreamLoadHeaders {

    public static final String LABEL = "label";
    public static final String FORMAT = "format";
    public static final String COLUMNS = "columns";
    public static final String WHERE = "where";
    public static final String COLUMN_SEPARATOR = "column_separator";
    /** StarRocks' CSV row delimiter. */
    public static final String ROW_DELIMITER = "row_delimiter";
    /** Doris' CSV row delimiter. */
    public static final String LINE_DELIMITER = "line_delimiter";
    public static final String JSONPATHS = "jsonpaths";
    public static final String JSON_ROOT = "json_root";
    public static final String STRIP_OUTER_ARRAY = "strip_outer_array";
    /** Doris: newline-delimited JSON objects. */
    public static final String READ_JSON_BY_LINE = "read_json_by_line";
    public static final String TIMEZONE = "timezone";
    public static final String STRICT_MODE = "strict_mode";
    public static final String MAX_FILTER_RATIO = "max_filter_ratio";
    public static final String TIMEOUT = "timeout";
    public static final String PARTIAL_UPDATE = "partial_update";
    /** Doris: make a Stream Load two-phase (pre-committed until {@code _stream_load_2pc}). */
    public static final String TWO_PHASE_COMMIT = "two_phase_commit";
    /** Doris 2PC: the transaction id. */
    public static final String TXN_ID = "txn_id";
    /** Doris 2PC: {@code commit} or {@code abort}. */
    public static final String TXN_OPERATION = "txn_operation";
    /** StarRocks transaction interface: database and table. */
    public static final String DB = "db";
    public static final String TABLE = "table";
    /** StarRocks transaction interface: seconds a transaction may stay idle. */
    public static final String IDLE_TRANSACTION_TIMEOUT = "idle_transaction_timeout";
    /** StarRocks transaction interface (3.5.4+): seconds a prepared transaction waits for commit. */
    public static final String PREPARED_TIMEOUT = "prepared_timeout";

    /** Set by the client itself; not settable through a header map. */
    private static final Set<String> RESERVED = Set.of(
            "authorization", "expect", "host", "content-length", "connection", "transfer-encoding", "upgrade",
            "te", "trailer", LABEL, DB, TABLE, TXN_ID, TXN_OPERATION);

    private StreamLoadHeaders() {}

    static void checkSettable(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("empty Stream Load header name");
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("header '" + name + "' is set by the Stream Load client itself");
        }
    }

    /** The CSV row delimiter header of a flavor: {@code row_delimiter} or {@code line_delimiter}. */
    public static String rowDelimiterHeader(Flavor flavor) {
        return flavor == Flavor.DORIS ? LINE_DELIMITER : ROW_DELIMITER;
    }

    /**
     * A column separator or row delimiter as a header value. Printable ASCII goes as it is;
     * anything else (tab, newline, {@code \x01}, multi-byte characters, leading or trailing
     * spaces) in the hexadecimal notation both warehouses document, e.g. {@code \r\n} →
     * {@code \x0D0A}.
     */
    public static String encodeDelimiter(String delimiter) {
        if (delimiter == null || delimiter.isEmpty()) {
            throw new IllegalArgumentException("empty delimiter");
        }
        return encodeDelimiter(delimiter.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #encodeDelimiter(String)} of a delimiter's bytes, which need not be UTF-8 (e.g. {@code \xFF}). */
    public static String encodeDelimiter(byte[] delimiter) {
        if (delimiter.length == 0) {
            throw new IllegalArgumentException("empty delimiter");
        }
        boolean plain = !(delimiter.length > 1 && delimiter[0] == '\\' && delimiter[1] == 'x')
                && delimiter[0] != ' ' && delimiter[delimiter.length - 1] != ' ';
        for (int i = 0; plain && i < delimiter.length; i++) {
            plain = delimiter[i] >= 0x20 && delimiter[i] < 0x7f;
        }
        if (plain) {
            return new String(delimiter, StandardCharsets.US_ASCII);
        }
        StringBuilder sb = new StringBuilder("\\x");
        for (byte b : delimiter) {
            sb.append(String.format("%02X", b & 0xff));
        }
        return sb.toString();
    }

    /**
     * Decodes a delimiter header value: {@code \xHH...} is hexadecimal bytes, anything else is
     * the UTF-8 text itself.
     */
    public static byte[] decodeDelimiter(String value) {
        if (value.length() > 2 && (value.startsWith("\\x") || value.startsWith("\\X"))) {
            String hex = value.substring(2);
            if (hex.length() % 2 == 0 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                byte[] out = new byte[hex.length() / 2];
                for (int i = 0; i < out.length; i++) {
                    out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
                }
                return out;
            }
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    public static Builder builder(Flavor flavor) {
        return new Builder(flavor);
    }

    /** Builds the header map of a load for one flavor. */
    public static final class Builder {
        private final Flavor flavor;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder(Flavor flavor) {
            this.flavor = flavor;
        }

        /** CSV with these separators ({@code null} keeps the warehouse default {@code \t} / {@code \n}). */
        public Builder csv(String columnSeparator, String rowDelimiter) {
            headers.put(FORMAT, "csv");
            if (columnSeparator != null) {
                headers.put(COLUMN_SEPARATOR, encodeDelimiter(columnSeparator));
            }
            if (rowDelimiter != null) {
                headers.put(rowDelimiterHeader(flavor), encodeDelimiter(rowDelimiter));
            }
            return this;
        }

        /**
         * JSON. {@code stripOuterArray} when the body is one array of records;
         * {@code newlineDelimited} when it is one object per line (Doris needs
         * {@code read_json_by_line} for that; StarRocks reads consecutive objects as they come).
         */
        public Builder json(String jsonpaths, String jsonRoot, boolean stripOuterArray, boolean newlineDelimited) {
            headers.put(FORMAT, "json");
            if (jsonpaths != null && !jsonpaths.isBlank()) {
                headers.put(JSONPATHS, jsonpaths);
            }
            if (jsonRoot != null && !jsonRoot.isBlank()) {
                headers.put(JSON_ROOT, jsonRoot);
            }
            if (stripOuterArray) {
                headers.put(STRIP_OUTER_ARRAY, "true");
            }
            if (newlineDelimited && flavor == Flavor.DORIS) {
                headers.put(READ_JSON_BY_LINE, "true");
            }
            return this;
        }

        public Builder columns(String columns) {
            return put(COLUMNS, columns);
        }

        public Builder where(String where) {
            return put(WHERE, where);
        }

        public Builder timezone(String tz) {
            return put(TIMEZONE, tz);
        }

        public Builder strictMode(boolean strict) {
            headers.put(STRICT_MODE, Boolean.toString(strict));
            return this;
        }

        public Builder maxFilterRatio(double ratio) {
            if (ratio < 0 || ratio > 1) {
                throw new IllegalArgumentException("max_filter_ratio must be within [0, 1]: " + ratio);
            }
            headers.put(MAX_FILTER_RATIO, Double.toString(ratio));
            return this;
        }

        public Builder timeoutSeconds(long seconds) {
            headers.put(TIMEOUT, Long.toString(seconds));
            return this;
        }

        /** Any other documented header. */
        public Builder put(String name, String value) {
            checkSettable(name);
            if (value != null && !value.isBlank()) {
                headers.put(name, value);
            }
            return this;
        }

        public Map<String, String> build() {
            return new LinkedHashMap<>(headers);
        }
    }
}
