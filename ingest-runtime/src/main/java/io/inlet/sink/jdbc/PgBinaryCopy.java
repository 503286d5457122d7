package io.inlet.sink.jdbc;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * Rows in PostgreSQL's binary {@code COPY} format, encoded into one buffer per COPY that is handed
 * to the COPY stream in large chunks. The server takes numbers and timestamps as they are stored,
 * where the text format would make it parse each one (and the loader format it first).
 *
 * <p>Each column is encoded as the type the server stores (a domain as its base type), from the
 * values {@code Casts} produces for that column: Long, Double, BigDecimal, String, Boolean,
 * LocalDate, LocalDateTime.
 */
final class PgBinaryCopy implements PgCopyEncoder {

    /** Where encoded bytes go: the COPY stream of the batch. */
    interface Output {
        void write(byte[] bytes, int offset, int length) throws SQLException;
    }

    /** The binary encodings Inlet writes; a type without one loads through {@link PgTextCopy}. */
    enum Encoding {
        BOOL, INT2, INT4, INT8, FLOAT4, FLOAT8, NUMERIC, TEXT, JSONB, UUID, DATE, TIMESTAMP, TIMESTAMPTZ, BYTEA;

        /**
         * The encoding of a base type by its {@code pg_type.typname} and {@code typtype}; null when Inlet has
         * none. An enum's binary form is its label.
         */
        static Encoding of(String typname, String typtype) {
            if ("e".equals(typtype)) {
                return TEXT;
            }
            return switch (typname) {
                case "bool" -> BOOL;
                case "int2" -> INT2;
                case "int4" -> INT4;
                case "int8" -> INT8;
                case "float4" -> FLOAT4;
                case "float8" -> FLOAT8;
                case "numeric" -> NUMERIC;
                case "text", "varchar", "bpchar", "json" -> TEXT;
                case "jsonb" -> JSONB;
                case "uuid" -> UUID;
                case "date" -> DATE;
                case "timestamp" -> TIMESTAMP;
                case "timestamptz" -> TIMESTAMPTZ;
                case "bytea" -> BYTEA;
                default -> null;
            };
        }
    }

    private static final int CHUNK = 256 * 1024;
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0,
            0, 0, 0, 0, 0, 0, 0, 0};
    /** PostgreSQL's epoch, 2000-01-01, in days and seconds since 1970-01-01. */
    private static final long PG_EPOCH_DAY = 10_957;
    private static final long PG_EPOCH_SECOND = PG_EPOCH_DAY * 86_400;
    private static final int NUMERIC_NEG = 0x4000;
    private static final BigInteger TEN_THOUSAND = BigInteger.valueOf(10_000);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final Encoding[] encodings;
    private final ZoneRules sessionZone;
    /** The COPY's buffer, from its start to its finish: a session between batches holds none. */
    private byte[] buffer;
    private final short[] digits = new short[64];
    private int length;
    private Output out;

    /**
     * @param sessionZone the session's TimeZone, in which timestamptz columns read a local date-time
     *                    (as the text format would); only needed when there is such a column
     */
    PgBinaryCopy(List<Encoding> encodings, ZoneId sessionZone) {
        this.encodings = encodings.toArray(new Encoding[0]);
        this.sessionZone = sessionZone == null ? null : sessionZone.getRules();
    }

    @Override
    public void start(Output output) throws SQLException {
        out = output;
        length = 0;
        if (buffer == null) {
            buffer = new byte[CHUNK];
        }
        put(HEADER, 0, HEADER.length);
    }

    @Override
    public void writeRow(Object[] row) throws SQLException {
        putShort(row.length);
        for (int i = 0; i < row.length; i++) {
            Object v = row[i];
            if (v == null) {
                putInt(-1);
                continue;
            }
            switch (encodings[i]) {
                case BOOL -> {
                    putInt(1);
                    putByte((Boolean) v ? 1 : 0);
                }
                case INT2 -> {
                    putInt(2);
                    putShort(((Number) v).shortValue());
                }
                case INT4 -> {
                    putInt(4);
                    putInt(((Number) v).intValue());
                }
                case INT8 -> {
                    putInt(8);
                    putLong(((Number) v).longValue());
                }
                case FLOAT4 -> {
                    putInt(4);
                    putInt(Float.floatToIntBits(((Number) v).floatValue()));
                }
                case FLOAT8 -> {
                    putInt(8);
                    putLong(Double.doubleToLongBits(((Number) v).doubleValue()));
                }
                case NUMERIC -> putNumeric(v instanceof BigDecimal d ? d : new BigDecimal(v.toString()));
                case TEXT -> putText(v.toString(), false);
                case JSONB -> putText(v.toString(), true);
                case UUID -> putUuid(v.toString());
                case BYTEA -> putBytea(v.toString());
                case DATE -> {
                    putInt(4);
                    putInt((int) (epochDay(v) - PG_EPOCH_DAY));
                }
                case TIMESTAMP -> {
                    putInt(8);
                    putLong(micros(localDateTime(v), ZoneOffset.UTC));
                }
                case TIMESTAMPTZ -> {
                    LocalDateTime t = localDateTime(v);
                    putInt(8);
                    putLong(micros(t, offsetAt(t)));
                }
            }
        }
    }

    /** Ends the data of the COPY: the trailer, and everything still buffered goes out. */
    @Override
    public void finish() throws SQLException {
        putShort(-1);
        flush();
        out = null;
        buffer = null;
    }

    private void flush() throws SQLException {
        if (length > 0) {
            out.write(buffer, 0, length);
            length = 0;
        }
    }

    private static long epochDay(Object v) {
        return v instanceof LocalDateTime t ? t.toLocalDate().toEpochDay() : ((LocalDate) v).toEpochDay();
    }

    private static LocalDateTime localDateTime(Object v) {
        return v instanceof LocalDate d ? d.atStartOfDay() : (LocalDateTime) v;
    }

    /** Microseconds since PostgreSQL's epoch of a local date-time read at {@code offset}. */
    private static long micros(LocalDateTime t, ZoneOffset offset) {
        long seconds = t.toLocalDate().toEpochDay() * 86_400 + t.toLocalTime().toSecondOfDay()
                - offset.getTotalSeconds() - PG_EPOCH_SECOND;
        return seconds * 1_000_000 + t.getNano() / 1_000;
    }

    /**
     * The offset at which PostgreSQL reads a local time in the session zone: a time skipped by a
     * forward transition takes the offset before it, a repeated one the offset after it.
     */
    private ZoneOffset offsetAt(LocalDateTime t) {
        List<ZoneOffset> valid = sessionZone.getValidOffsets(t);
        if (valid.size() == 1) {
            return valid.get(0);
        }
        ZoneOffsetTransition transition = sessionZone.getTransition(t);
        return valid.isEmpty() ? transition.getOffsetBefore() : transition.getOffsetAfter();
    }

    /** {@code numeric}: base-10000 digits around the decimal point, with the weight of the first and the display scale. */
    private void putNumeric(BigDecimal value) throws SQLException {
        int scale = Math.max(value.scale(), 0);
        BigInteger unscaled = value.setScale(scale).unscaledValue().abs();
        int fractionGroups = (scale + 3) / 4;
        unscaled = unscaled.multiply(BigInteger.TEN.pow(fractionGroups * 4 - scale));
        int count = 0;
        if (unscaled.bitLength() < 63) {
            for (long u = unscaled.longValue(); u != 0; u /= 10_000) {
                count = addDigit(count, (short) (u % 10_000));
            }
        } else {
            while (unscaled.signum() != 0) {
                BigInteger[] qr = unscaled.divideAndRemainder(TEN_THOUSAND);
                count = addDigit(count, qr[1].shortValue());
                unscaled = qr[0];
            }
        }
        // digits[] holds them least significant first; trailing zero groups need not be sent
        int lowest = 0;
        while (lowest < count && digits[lowest] == 0) {
            lowest++;
        }
        int weight = count - fractionGroups - 1;
        int ndigits = count - lowest;
        putInt(8 + 2 * ndigits);
        putShort(ndigits);
        putShort(ndigits == 0 ? 0 : weight);
        putShort(value.signum() < 0 ? NUMERIC_NEG : 0);
        putShort(scale);
        for (int i = count - 1; i >= lowest; i--) {
            putShort(digits[i]);
        }
    }

    private int addDigit(int count, short digit) throws SQLException {
        if (count == digits.length) {
            throw new SQLException("numeric value too large for PostgreSQL");
        }
        digits[count] = digit;
        return count + 1;
    }

    /** Text types (and json) as UTF-8; jsonb with its format version first. */
    private void putText(String s, boolean jsonb) throws SQLException {
        int n = s.length();
        int prefix = jsonb ? 1 : 0;
        if (n <= 4096 && isAscii(s, n)) {
            ensure(4 + prefix + n);
            putInt(prefix + n);
            if (jsonb) {
                putByte(1);
            }
            for (int i = 0; i < n; i++) {
                buffer[length++] = (byte) s.charAt(i);
            }
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        putInt(prefix + bytes.length);
        if (jsonb) {
            putByte(1);
        }
        put(bytes, 0, bytes.length);
    }

    private static boolean isAscii(String s, int n) {
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** {@code uuid}: 32 hex digits, optionally in braces, with a hyphen allowed after any group of four, as uuid_in reads it. */
    private void putUuid(String s) throws SQLException {
        int i = 0;
        int end = s.length();
        boolean braces = end > 0 && s.charAt(0) == '{';
        if (braces) {
            i++;
            end--;
        }
        long hi = 0;
        long lo = 0;
        int count = 0;
        while (i < end && count < 32) {
            int d = Character.digit(s.charAt(i++), 16);
            if (d < 0) {
                throw invalidUuid(s);
            }
            if (count < 16) {
                hi = hi << 4 | d;
            } else {
                lo = lo << 4 | d;
            }
            count++;
            if (count % 4 == 0 && count < 32 && i < end && s.charAt(i) == '-') {
                i++;
            }
        }
        if (count != 32 || i != end || (braces && s.charAt(end) != '}')) {
            throw invalidUuid(s);
        }
        putInt(16);
        putLong(hi);
        putLong(lo);
    }

    /**
     * {@code bytea} from its text form, as byteain reads it: {@code \\x} and hex digit pairs (whitespace between
     * pairs allowed), else the escape form, where {@code \\\\} is a backslash, a backslash and three octal digits
     * a byte, and any other character its UTF-8 bytes.
     */
    private void putBytea(String s) throws SQLException {
        byte[] bytes;
        int n = s.length();
        if (n >= 2 && s.charAt(0) == '\\' && s.charAt(1) == 'x') {
            bytes = new byte[(n - 2) / 2];
            int count = 0;
            for (int i = 2; i < n; i++) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    continue;
                }
                int hi = Character.digit(c, 16);
                int lo = i + 1 < n ? Character.digit(s.charAt(i + 1), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new SQLException("invalid hexadecimal data for type bytea: \"" + s + "\"");
                }
                bytes[count++] = (byte) (hi << 4 | lo);
                i++;
            }
            putInt(count);
            put(bytes, 0, count);
            return;
        }
        if (s.indexOf('\\') < 0) {
            bytes = s.getBytes(StandardCharsets.UTF_8);
            putInt(bytes.length);
            put(bytes, 0, bytes.length);
            return;
        }
        ByteArrayOutputStream decoded = new ByteArrayOutputStream(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                int end = i + 1;
                while (end < n && s.charAt(end) != '\\') {
                    end++;
                }
                decoded.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            } else if (i + 1 < n && s.charAt(i + 1) == '\\') {
                decoded.write('\\');
                i++;
            } else if (i + 3 < n && isOctal(s.charAt(i + 1)) && isOctal(s.charAt(i + 2)) && isOctal(s.charAt(i + 3))
                    && s.charAt(i + 1) <= '3') {
                decoded.write((s.charAt(i + 1) - '0') << 6 | (s.charAt(i + 2) - '0') << 3 | (s.charAt(i + 3) - '0'));
                i += 3;
            } else {
                throw new SQLException("invalid input syntax for type bytea: \"" + s + "\"");
            }
        }
        bytes = decoded.toByteArray();
        putInt(bytes.length);
        put(bytes, 0, bytes.length);
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }

    private static SQLException invalidUuid(String s) {
        return new SQLException("invalid input syntax for type uuid: \"" + s + "\"");
    }

    private void ensure(int n) throws SQLException {
        if (length + n > buffer.length) {
            flush();
        }
    }

    private void put(byte[] bytes, int offset, int n) throws SQLException {
        if (n > buffer.length - length) {
            flush();
            if (n > buffer.length) {
                out.write(bytes, offset, n);
                return;
            }
        }
        System.arraycopy(bytes, offset, buffer, length, n);
        length += n;
    }

    private void putByte(int v) throws SQLException {
        ensure(1);
        buffer[length++] = (byte) v;
    }

    private void putShort(int v) throws SQLException {
        ensure(2);
        SHORT.set(buffer, length, (short) v);
        length += 2;
    }

    private void putInt(int v) throws SQLException {
        ensure(4);
        INT.set(buffer, length, v);
        length += 4;
    }

    private void putLong(long v) throws SQLException {
        ensure(8);
        LONG.set(buffer, length, v);
        length += 8;
    }
}
