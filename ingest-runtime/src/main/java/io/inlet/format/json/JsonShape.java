package io.inlet.format.json;

/**
 * A structural check of a message that Inlet forwards to the warehouse unparsed: one complete
 * JSON object (or array), nothing after it. It catches truncated, concatenated and non-JSON
 * messages, which would otherwise spoil the whole body they are joined into, at the cost of one
 * pass over the bytes and no allocation. Values are left for the warehouse to judge.
 */
public final class JsonShape {

    private JsonShape() {}

    /** Null when {@code m} is one JSON object (or, with {@code array}, one array); else what is wrong. */
    public static String problem(byte[] m, boolean array) {
        int i = skipSpace(m, 0);
        if (i == m.length) {
            return "the message is empty";
        }
        byte open = m[i];
        if (open != '{' && !(array && open == '[')) {
            return "the message is not a JSON " + (array ? "object or array" : "object") + ": it starts with '"
                    + printable(open) + "'";
        }
        int depth = 0;
        for (; i < m.length; i++) {
            byte b = m[i];
            if (b == '"') {
                i = endOfString(m, i + 1);
                if (i < 0) {
                    return "the message ends inside a JSON string";
                }
            } else if (b == '{' || b == '[') {
                depth++;
            } else if (b == '}' || b == ']') {
                if (--depth == 0) {
                    break;
                }
                if (depth < 0) {
                    return "unbalanced '" + (char) b + "'";
                }
            }
        }
        if (depth != 0) {
            return "the message ends before its JSON " + (open == '{' ? "object" : "array") + " is closed";
        }
        int rest = skipSpace(m, i + 1);
        if (rest != m.length) {
            return "the message has more after its JSON " + (open == '{' ? "object" : "array") + " (at byte " + rest + ")";
        }
        return null;
    }

    private static int endOfString(byte[] m, int i) {
        for (; i < m.length; i++) {
            if (m[i] == '\\') {
                i++;
            } else if (m[i] == '"') {
                return i;
            }
        }
        return -1;
    }

    private static int skipSpace(byte[] m, int i) {
        while (i < m.length && (m[i] == ' ' || m[i] == '\n' || m[i] == '\r' || m[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static String printable(byte b) {
        return b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02X", b & 0xff);
    }
}
