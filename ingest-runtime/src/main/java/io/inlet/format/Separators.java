package io.inlet.format;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decodes separators as users write them in {@code COLUMNS TERMINATED BY}, {@code ROWS TERMINATED BY} and
 * the CSV properties into the bytes to look for in messages.
 *
 * <ul>
 *   <li>{@code \x} followed by an even number of hex digits and nothing else is the bytes in hex:
 *       {@code \x01} is 0x01, {@code \x0102} is 0x01 0x02;</li>
 *   <li>otherwise escapes are decoded one by one: {@code \t} TAB, {@code \n} LF, {@code \r} CR,
 *       {@code \\} backslash, {@code \xHH} one byte; any other character after a backslash (and a trailing
 *       backslash) is kept as written;</li>
 *   <li>everything else is encoded as UTF-8: {@code "|"}, {@code "||"}, {@code "丨"} (3 bytes).</li>
 * </ul>
 * The result is 1 to 50 bytes long.
 */
public final class Separators {

    /** The longest separator StarRocks accepts, in bytes of UTF-8. */
    public static final int MAX_BYTES = 50;

    private Separators() {
    }

    /**
     * Bytes of a separator as written in SQL.
     *
     * @throws IllegalArgumentException if it is null, empty, has a malformed {@code \x} escape or is longer
     *     than 50 bytes
     */
    public static byte[] decode(String written) {
        if (written == null || written.isEmpty()) {
            throw new IllegalArgumentException("separator must not be empty");
        }
        byte[] bytes = wholeHex(written);
        if (bytes == null) {
            bytes = unescape(written);
        }
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("separator '" + written + "' is " + bytes.length
                    + " bytes long; at most " + MAX_BYTES + " bytes of UTF-8 are allowed");
        }
        return bytes;
    }

    /** {@code \x0102...}: the whole string is hex after the prefix; null if it is not of that form. */
    private static byte[] wholeHex(String s) {
        if (s.length() < 4 || s.charAt(0) != '\\' || (s.charAt(1) != 'x' && s.charAt(1) != 'X')) {
            return null;
        }
        int digits = s.length() - 2;
        if (digits % 2 != 0) {
            return null;
        }
        byte[] out = new byte[digits / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(s.charAt(2 + 2 * i), 16);
            int lo = Character.digit(s.charAt(3 + 2 * i), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    private static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 4);
        int literalStart = 0;
        int i = 0;
        while (i < s.length()) {
            if (s.charAt(i) != '\\' || i + 1 >= s.length()) {
                i++;
                continue;
            }
            char c = s.charAt(i + 1);
            int b;
            int consumed = 2;
            switch (c) {
                case 't' -> b = '\t';
                case 'n' -> b = '\n';
                case 'r' -> b = '\r';
                case '\\' -> b = '\\';
                case 'x', 'X' -> {
                    int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                    int lo = i + 3 < s.length() ? Character.digit(s.charAt(i + 3), 16) : -1;
                    if (hi < 0 || lo < 0) {
                        throw new IllegalArgumentException("separator '" + s
                                + "': \\x must be followed by two hex digits");
                    }
                    b = hi << 4 | lo;
                    consumed = 4;
                }
                default -> b = -1;
            }
            if (b < 0) {
                i += 2; // unknown escape: kept as written
                continue;
            }
            out.writeBytes(s.substring(literalStart, i).getBytes(StandardCharsets.UTF_8));
            out.write(b);
            i += consumed;
            literalStart = i;
        }
        out.writeBytes(s.substring(literalStart).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
