package io.inlet.format.csv;

import io.inlet.format.DecodeException;
import io.inlet.format.Decoder;
import io.inlet.format.RowConsumer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * CSV messages with StarRocks Routine Load semantics: column separator and row delimiter of 1 to 50 bytes,
 * optional single-byte {@code enclose} and {@code escape}, {@code trim_space}, {@code \N} as NULL.
 *
 * <p>Two passes over the bytes, no regex and no splitting: the first finds row and field boundaries and
 * checks the field count of every row (so a bad row rejects the whole message before any row is emitted);
 * the second turns the spans into Strings (UTF-8). Scratch arrays are reused across messages.
 *
 * <ul>
 *   <li>Rows are separated by the row delimiter; an empty row (a trailing delimiter, an empty line) is not a
 *       row.</li>
 *   <li>An enclosed field starts with the enclose byte (after spaces, with trim_space); inside it separators
 *       and delimiters are data and a doubled enclose byte is one enclose byte. Text between the closing
 *       enclose byte and the next separator is appended as is.</li>
 *   <li>The escape byte, inside or outside enclosed fields, makes the next byte data.</li>
 *   <li>trim_space removes spaces (0x20) around separators, outside enclosed fields.</li>
 *   <li>A field that is exactly {@code \N} (not enclosed) is null; an empty field is "".</li>
 * </ul>
 */
public final class CsvDecoder implements Decoder {

    private static final int NONE = 1000; // never equal to a (sign-extended) byte

    private static final byte PLAIN = 0;      // [start, end) as is
    private static final byte NULL = 1;       // \N
    private static final byte UNESCAPE = 2;   // [start, end) with escapes and doubled enclose bytes to resolve
    private static final byte MIXED = 3;      // [start, end) begins with an enclosed part followed by raw text
    private static final byte UNENCLOSE = 4;  // content of an enclosed field with escapes or doubled enclose bytes

    private final int columnCount;
    private final byte[] sep;
    private final byte[] delim;
    private final int sep0;
    private final int delim0;
    private final boolean delimFirst;
    private final int enclose;
    private final int escape;
    private final boolean trim;

    // pass-1 results, fixed stride columnCount per row (extra fields of a bad row are counted, not stored)
    private int[] starts;
    private int[] ends;
    private byte[] kinds;
    private int rows;
    private int badRow;
    private int badCount;

    private final Object[] row;
    private byte[] scratch = new byte[256];

    /**
     * @param separator column separator bytes (1..50)
     * @param rowDelimiter row delimiter bytes (1..50)
     * @param enclose the enclose byte or null
     * @param escape the escape byte or null
     */
    public CsvDecoder(int columnCount, byte[] separator, byte[] rowDelimiter, Byte enclose, Byte escape,
            boolean trimSpace) {
        if (columnCount < 1) {
            throw new IllegalArgumentException("at least one source column is needed");
        }
        if (separator.length == 0 || rowDelimiter.length == 0) {
            throw new IllegalArgumentException("separators must not be empty");
        }
        if (Arrays.equals(separator, rowDelimiter)) {
            throw new IllegalArgumentException("column separator and row delimiter must differ");
        }
        this.columnCount = columnCount;
        this.sep = separator.clone();
        this.delim = rowDelimiter.clone();
        this.sep0 = sep[0];
        this.delim0 = delim[0];
        this.delimFirst = delim.length >= sep.length;
        this.enclose = enclose == null ? NONE : enclose;
        int esc = escape == null ? NONE : escape;
        this.escape = esc == this.enclose ? NONE : esc; // "" is handled as a doubled enclose byte
        this.trim = trimSpace;
        if (trimSpace && (sep0 == ' ' || delim0 == ' ')) {
            throw new IllegalArgumentException("trim_space cannot be used when the column separator or the row "
                    + "delimiter starts with a space");
        }
        for (int special : new int[] {this.enclose, this.escape}) {
            if (special != NONE && (special == sep0 || special == delim0)) {
                throw new IllegalArgumentException("enclose and escape must differ from the first byte of the column "
                        + "separator and of the row delimiter");
            }
        }
        this.row = new Object[columnCount];
        int cap = columnCount * 4;
        this.starts = new int[cap];
        this.ends = new int[cap];
        this.kinds = new byte[cap];
    }

    @Override
    public int columnCount() {
        return columnCount;
    }

    @Override
    public void decode(byte[] message, RowConsumer out) throws DecodeException {
        if (message == null) {
            return;
        }
        scan(message);
        if (badRow >= 0) {
            throw new DecodeException("expected " + columnCount + " columns, found " + badCount
                    + (rows > 1 ? " in row " + (badRow + 1) + " of " + rows : ""));
        }
        Object[] r = row;
        int k = 0;
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < columnCount; c++, k++) {
                r[c] = value(message, starts[k], ends[k], kinds[k]);
            }
            out.accept(r);
        }
    }

    // ---------------------------------------------------------------- pass 1

    private void scan(byte[] m) throws DecodeException {
        rows = 0;
        badRow = -1;
        final int n = m.length;
        int i = 0;
        while (i < n) {
            if (m[i] == delim0 && atDelim(m, i)) {
                i += delim.length; // an empty line (or a trailing delimiter) is not a row
                continue;
            }
            int field = 0;
            boolean rowEnded = false;
            while (!rowEnded) {
                // one field, starting at i
                int s = i;
                if (trim) {
                    while (s < n && m[s] == ' ') {
                        s++;
                    }
                }
                int e;
                byte kind;
                if (s < n && m[s] == enclose) {
                    // enclosed: find the closing enclose byte
                    int j = s + 1;
                    boolean complex = false;
                    boolean closed = false;
                    while (j < n) {
                        int b = m[j];
                        if (b == enclose) {
                            if (j + 1 < n && m[j + 1] == enclose) {
                                complex = true;
                                j += 2;
                                continue;
                            }
                            closed = true;
                            break;
                        }
                        if (b == escape) {
                            complex = true;
                            j += 2;
                            continue;
                        }
                        j++;
                    }
                    if (!closed) {
                        throw new DecodeException("unterminated enclosed field (no closing " + printable(enclose)
                                + ") in row " + (rows + 1));
                    }
                    int after = j + 1;
                    int k = after;
                    if (trim) {
                        while (k < n && m[k] == ' ') {
                            k++;
                        }
                    }
                    if (k == n || atSep(m, k) || atDelim(m, k)) {
                        // the common case: "..." then a separator
                        i = k;
                        s = s + 1;
                        e = j;
                        kind = complex ? UNENCLOSE : PLAIN;
                    } else {
                        // text after the closing enclose byte: keep it, up to the next separator
                        i = scanRaw(m, after);
                        e = trimEnd(m, after, i);
                        kind = MIXED;
                    }
                } else {
                    i = scanRaw(m, s);
                    e = trimEnd(m, s, i);
                    if (e - s == 2 && m[s] == '\\' && m[s + 1] == 'N') {
                        kind = NULL;
                    } else {
                        kind = PLAIN;
                        if (escape != NONE) {
                            for (int x = s; x < e; x++) {
                                if (m[x] == escape) {
                                    kind = UNESCAPE;
                                    break;
                                }
                            }
                        }
                    }
                }
                record(field++, s, e, kind);
                // i is at a separator, a delimiter or the end
                if (i >= n) {
                    i = n;
                    rowEnded = true;
                } else if (delimFirst ? atDelim(m, i) : !atSep(m, i)) {
                    i += delim.length;
                    rowEnded = true;
                } else {
                    i += sep.length;
                }
            }
            if (field != columnCount && badRow < 0) {
                badRow = rows;
                badCount = field;
            }
            rows++;
        }
    }

    /** Scans an unenclosed stretch from i to the next separator, delimiter or the end; returns its end. */
    private int scanRaw(byte[] m, int i) {
        final int n = m.length;
        final int s0 = sep0;
        final int d0 = delim0;
        final int esc = escape;
        while (i < n) {
            int b = m[i];
            if (b == s0 && atSep(m, i)) {
                return i;
            }
            if (b == d0 && atDelim(m, i)) {
                return i;
            }
            i += b == esc ? 2 : 1;
        }
        return n;
    }

    private int trimEnd(byte[] m, int s, int e) {
        if (trim) {
            while (e > s && m[e - 1] == ' ') {
                e--;
            }
        }
        return e;
    }

    private boolean atSep(byte[] m, int i) {
        return matches(m, i, sep);
    }

    private boolean atDelim(byte[] m, int i) {
        return matches(m, i, delim);
    }

    private static boolean matches(byte[] m, int i, byte[] what) {
        int len = what.length;
        if (m[i] != what[0] || i + len > m.length) {
            return false;
        }
        for (int k = 1; k < len; k++) {
            if (m[i + k] != what[k]) {
                return false;
            }
        }
        return true;
    }

    private void record(int field, int s, int e, byte kind) {
        if (field >= columnCount) {
            return; // a bad row: only counted
        }
        int k = rows * columnCount + field;
        if (k >= starts.length) {
            int cap = Math.max(starts.length * 2, k + columnCount);
            starts = Arrays.copyOf(starts, cap);
            ends = Arrays.copyOf(ends, cap);
            kinds = Arrays.copyOf(kinds, cap);
        }
        starts[k] = s;
        ends[k] = e;
        kinds[k] = kind;
    }

    // ---------------------------------------------------------------- pass 2

    private Object value(byte[] m, int s, int e, byte kind) {
        switch (kind) {
            case PLAIN:
                return e == s ? "" : new String(m, s, e - s, StandardCharsets.UTF_8);
            case NULL:
                return null;
            case UNESCAPE:
                return unescape(m, s, e, false);
            case UNENCLOSE:
                return unescape(m, s, e, true);
            default:
                return mixed(m, s, e);
        }
    }

    /** Unenclosed text with escapes resolved, or enclosed content with escapes and doubled enclose bytes. */
    private String unescape(byte[] m, int s, int e, boolean enclosed) {
        byte[] buf = scratch(e - s);
        int len = 0;
        int i = s;
        while (i < e) {
            int b = m[i];
            if ((b == escape || (enclosed && b == enclose)) && i + 1 < e) {
                buf[len++] = m[i + 1];
                i += 2;
            } else {
                buf[len++] = (byte) b;
                i++;
            }
        }
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    /** {@code "enclosed part"raw text}: the enclosed part resolved, the rest kept (escapes resolved). */
    private String mixed(byte[] m, int s, int e) {
        byte[] buf = scratch(e - s);
        int len = 0;
        int i = s + 1;
        // enclosed part, up to the closing enclose byte
        while (i < e) {
            int b = m[i];
            if (b == enclose) {
                if (i + 1 < e && m[i + 1] == enclose) {
                    buf[len++] = m[i];
                    i += 2;
                    continue;
                }
                i++;
                break;
            }
            if (b == escape && i + 1 < e) {
                buf[len++] = m[i + 1];
                i += 2;
                continue;
            }
            buf[len++] = (byte) b;
            i++;
        }
        // the raw rest
        while (i < e) {
            int b = m[i];
            if (b == escape && i + 1 < e) {
                buf[len++] = m[i + 1];
                i += 2;
            } else {
                buf[len++] = (byte) b;
                i++;
            }
        }
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    private byte[] scratch(int size) {
        if (scratch.length < size) {
            scratch = new byte[Math.max(size, scratch.length * 2)];
        }
        return scratch;
    }

    private static String printable(int b) {
        return b >= 0x20 && b < 0x7f ? "'" + (char) b + "'" : String.format("0x%02x", b & 0xff);
    }
}
