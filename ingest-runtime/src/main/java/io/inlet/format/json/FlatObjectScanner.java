package io.inlet.format.json;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The fast path of {@link JsonDecoder} for the shape most topics carry: one JSON object per
 * message whose wanted values are top-level scalars ({@code $.name} jsonpaths, or columns matched
 * by key). It scans the bytes once, without a parser object or a symbol table, and gives the same
 * values as the streaming path. Anything else — an escape in a wanted string or in a key, a
 * wanted object or array, a number beyond 64 bits, malformed input — makes {@link #scan} return
 * false, and the streaming path decodes the message (and words its error).
 */
final class FlatObjectScanner {

    private final byte[][] names;
    private final int[] columns;
    private final boolean ignoreCase;

    /**
     * Messages of a topic mostly have the same keys in the same order: the key each of the first
     * fields had in the previous message, and its column, spare scanning and matching it again.
     */
    private static final int KEYS_REMEMBERED = 32;
    /**
     * What a field has before its first message: a key no message has in the fast path (a raw NUL
     * fails the scan), and if one had it, -2 would hand it to the streaming path. No null to test
     * per field: a new task's first messages then run the same compiled code as any other.
     */
    private static final byte[] NO_KEY = {0};
    private final byte[][] keyAt = new byte[KEYS_REMEMBERED][];
    private final int[] columnOfKey = new int[KEYS_REMEMBERED];
    private final RecurringStrings strings;
    private final Object[] scratch = new Object[1];
    private byte[] b;
    private int pos;
    private int end;

    /** @param fields top-level key of each column, in column order */
    FlatObjectScanner(List<String> fields, boolean ignoreCase) {
        this.ignoreCase = ignoreCase;
        this.names = new byte[fields.size()][];
        this.columns = new int[fields.size()];
        this.strings = new RecurringStrings(fields.size());
        Arrays.fill(keyAt, NO_KEY);
        Arrays.fill(columnOfKey, -2);
        for (int i = 0; i < fields.size(); i++) {
            String name = ignoreCase ? fields.get(i).toLowerCase(Locale.ROOT) : fields.get(i);
            names[i] = name.getBytes(StandardCharsets.UTF_8);
            columns[i] = i;
        }
    }

    /** Fills {@code row} (one slot per column) from {@code message}; false when the streaming path must decode it. */
    boolean scan(byte[] message, Object[] row) {
        Arrays.fill(row, null);
        b = message;
        pos = 0;
        end = message.length;
        skipWhitespace();
        if (pos >= end || b[pos] != '{') {
            return false;
        }
        pos++;
        skipWhitespace();
        if (pos < end && b[pos] == '}') {
            pos++;
            return trailerIsBlank();
        }
        for (int field = 0; ; field++) {
            if (pos >= end || b[pos] != '"') {
                return false;
            }
            int keyStart = ++pos;
            int column;
            if (field < KEYS_REMEMBERED && sameKeyAsBefore(field, keyStart)) {
                column = columnOfKey[field];
                pos += keyAt[field].length + 1;
                if (column == -2) {
                    return false;
                }
            } else {
                if (!toClosingQuote()) {
                    return false;
                }
                int keyEnd = pos++;
                column = column(keyStart, keyEnd);
                if (column == -2) {
                    return false;
                }
                if (field < KEYS_REMEMBERED) {
                    keyAt[field] = Arrays.copyOfRange(b, keyStart, keyEnd);
                    columnOfKey[field] = column;
                }
            }
            skipWhitespace();
            if (pos >= end || b[pos] != ':') {
                return false;
            }
            pos++;
            skipWhitespace();
            if (column >= 0) {
                if (!value(row, column)) {
                    return false;
                }
            } else if (!skipValue()) {
                return false;
            }
            skipWhitespace();
            if (pos >= end) {
                return false;
            }
            if (b[pos] == ',') {
                pos++;
                skipWhitespace();
            } else if (b[pos] == '}') {
                pos++;
                return trailerIsBlank();
            } else {
                return false;
            }
        }
    }

    /** Whether the key at {@code start} is the one the previous message had as this field (then also its column). */
    private boolean sameKeyAsBefore(int field, int start) {
        byte[] key = keyAt[field];
        int stop = start + key.length;
        return stop < end && b[stop] == '"' && Arrays.equals(b, start, stop, key, 0, key.length);
    }

    /** The column a key feeds, -1 for none, -2 when only the streaming path can tell (non-ASCII case folding). */
    private int column(int start, int stop) {
        int len = stop - start;
        for (int c = 0; c < names.length; c++) {
            byte[] n = names[c];
            if (n.length != len) {
                continue;
            }
            boolean same = true;
            for (int i = 0; i < len; i++) {
                byte x = b[start + i];
                if (ignoreCase) {
                    if (x < 0) {
                        return -2;
                    }
                    if (x >= 'A' && x <= 'Z') {
                        x += 'a' - 'A';
                    }
                }
                if (x != n[i]) {
                    same = false;
                    break;
                }
            }
            if (same) {
                return columns[c];
            }
        }
        if (ignoreCase) {
            for (int i = start; i < stop; i++) {
                if (b[i] < 0) {
                    return -2;
                }
            }
        }
        return -1;
    }

    /**
     * Moves to the closing quote of a string that has nothing to unescape or validate; false at an
     * escape, a control character or non-ASCII (negative), which the streaming parser unescapes,
     * validates as UTF-8 and words the errors of, or at the end of the message.
     */
    private boolean toClosingQuote() {
        while (pos < end && b[pos] != '"') {
            if (b[pos] == '\\' || b[pos] < 0x20) {
                return false;
            }
            pos++;
        }
        return pos < end;
    }

    private boolean value(Object[] row, int column) {
        if (pos >= end) {
            return false;
        }
        byte c = b[pos];
        if (c == '"') {
            int start = ++pos;
            if (!toClosingQuote()) {
                return false;
            }
            row[column] = strings.of(column, b, start, pos - start);
            pos++;
            return true;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number(row, column);
        }
        if (literal("true")) {
            row[column] = Boolean.TRUE;
            return true;
        }
        if (literal("false")) {
            row[column] = Boolean.FALSE;
            return true;
        }
        if (literal("null")) {
            row[column] = null;
            return true;
        }
        return false;
    }

    /** Up to this many significant digits, a decimal's digits fit a long. */
    private static final int LONG_DIGITS = 18;

    @SuppressWarnings("deprecation")
    private boolean number(Object[] row, int column) {
        int start = pos;
        boolean negative = b[pos] == '-';
        if (negative) {
            pos++;
        }
        int intStart = pos;
        long value = 0;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            value = value * 10 + (b[pos] - '0');
            pos++;
        }
        int digits = pos - intStart;
        if (digits == 0 || digits > LONG_DIGITS || (digits > 1 && b[intStart] == '0')) {
            return false;
        }
        boolean integral = true;
        int scale = 0;
        if (pos < end && b[pos] == '.') {
            integral = false;
            pos++;
            int fraction = pos;
            while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
                if (digits + scale < LONG_DIGITS) {
                    value = value * 10 + (b[pos] - '0');
                }
                scale++;
                pos++;
            }
            if (pos == fraction) {
                return false;
            }
        }
        boolean exponent = false;
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
            integral = false;
            exponent = true;
            pos++;
            if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
                pos++;
            }
            int exponentStart = pos;
            while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
                pos++;
            }
            if (pos == exponentStart) {
                return false;
            }
        }
        if (pos < end && !isDelimiter(b[pos])) {
            return false;
        }
        if (integral) {
            row[column] = negative ? -value : value;
        } else if (!exponent && digits + scale <= LONG_DIGITS) {
            // what new BigDecimal(text) gives: these digits unscaled, the fraction's length as the scale
            row[column] = BigDecimal.valueOf(negative ? -value : value, scale);
        } else {
            row[column] = new BigDecimal(new String(b, 0, start, pos - start));
        }
        return true;
    }

    private boolean literal(String word) {
        int n = word.length();
        if (pos + n > end) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        if (pos + n < end && !isDelimiter(b[pos + n])) {
            return false;
        }
        pos += n;
        return true;
    }

    /** Skips a value nobody wants, validating nested ones as strictly as the parser would; false when malformed. */
    private boolean skipValue() {
        return skipValue(0);
    }

    private boolean skipValue(int depth) {
        if (pos >= end || depth > 64) {
            return false;
        }
        byte c = b[pos];
        if (c == '"') {
            return skipString();
        }
        if (c == '{' || c == '[') {
            boolean object = c == '{';
            byte close = (byte) (object ? '}' : ']');
            pos++;
            skipWhitespace();
            if (pos < end && b[pos] == close) {
                pos++;
                return true;
            }
            while (true) {
                if (object) {
                    if (pos >= end || b[pos] != '"' || !skipString()) {
                        return false;
                    }
                    skipWhitespace();
                    if (pos >= end || b[pos] != ':') {
                        return false;
                    }
                    pos++;
                    skipWhitespace();
                }
                if (!skipValue(depth + 1)) {
                    return false;
                }
                skipWhitespace();
                if (pos >= end) {
                    return false;
                }
                if (b[pos] == ',') {
                    pos++;
                    skipWhitespace();
                } else if (b[pos] == close) {
                    pos++;
                    return true;
                } else {
                    return false;
                }
            }
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number(scratch, 0);
        }
        return literal("true") || literal("false") || literal("null");
    }

    private boolean skipString() {
        pos++;
        while (pos < end) {
            byte x = b[pos];
            if (x == '\\') {
                if (pos + 1 >= end) {
                    return false;
                }
                byte e = b[pos + 1];
                if (e == 'u') {
                    for (int i = pos + 2; i < pos + 6; i++) {
                        if (i >= end || Character.digit(b[i], 16) < 0) {
                            return false;
                        }
                    }
                    pos += 6;
                    continue;
                }
                if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
                    return false;
                }
                pos += 2;
                continue;
            }
            if (x == '"') {
                pos++;
                return true;
            }
            if (x < 0x20) {
                return false; // a control character, or non-ASCII whose UTF-8 the streaming parser checks
            }
            pos++;
        }
        return false;
    }

    private void skipWhitespace() {
        while (pos < end && (b[pos] == ' ' || b[pos] == '\n' || b[pos] == '\r' || b[pos] == '\t')) {
            pos++;
        }
    }

    private boolean trailerIsBlank() {
        skipWhitespace();
        return pos == end;
    }

    private static boolean isDelimiter(byte x) {
        return x == ',' || x == '}' || x == ']' || x == ' ' || x == '\n' || x == '\r' || x == '\t';
    }
}
