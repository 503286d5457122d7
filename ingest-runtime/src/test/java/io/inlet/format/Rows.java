package io.inlet.format;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helper: decodes a message into copied rows. */
public final class Rows {
    private Rows() {
    }

    public static List<List<Object>> decode(Decoder d, String message) throws DecodeException {
        return decode(d, message.getBytes(StandardCharsets.UTF_8));
    }

    public static List<List<Object>> decode(Decoder d, byte[] message) throws DecodeException {
        List<List<Object>> rows = new ArrayList<>();
        d.decode(message, values -> {
            if (values.length != d.columnCount()) {
                throw new AssertionError("row of " + values.length + " values, columnCount " + d.columnCount());
            }
            rows.add(Arrays.asList(values.clone()));
        });
        return rows;
    }

    public static List<Object> row(Object... values) {
        return Arrays.asList(values);
    }
}
