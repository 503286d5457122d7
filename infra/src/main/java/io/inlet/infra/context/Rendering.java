package io.inlet.infra.context;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Renders raw context values for error messages, as JSON (strings quoted, whole numbers without ".0"). */
final class Rendering {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Rendering() {
    }

    static String found(Object raw) {
        if (raw == null) {
            return "nothing";
        }
        if (raw instanceof Double || raw instanceof Float) {
            double d = ((Number) raw).doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString((long) d);
            }
        }
        try {
            return JSON.writeValueAsString(raw);
        } catch (JsonProcessingException e) {
            return String.valueOf(raw);
        }
    }
}
