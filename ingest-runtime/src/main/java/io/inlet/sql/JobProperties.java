package io.inlet.sql;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed view of a job's PROPERTIES with defaults applied. {@code raw} holds every key (lower case) as
 * written, for keys without a typed field (e.g. merge_condition, column_separator).
 */
public record JobProperties(String format, List<String> jsonPaths, String jsonRoot, boolean stripOuterArray,
                            long maxBatchIntervalSeconds, long maxBatchRows, long maxBatchSizeBytes,
                            long maxErrorNumber, double maxFilterRatio, boolean strictMode, ZoneId timezone,
                            int desiredConcurrentNumber, String enclose, String escape, boolean trimSpace,
                            boolean partialUpdate, Map<String, String> raw) {

    /** Validates {@code p} (as CREATE does) and reads it; throws {@link StatementException} when invalid. */
    public static JobProperties from(PropertyList p) {
        PropertyValidation.validateJob(p, false);
        String tz = p.get("timezone", null);
        return new JobProperties(
                p.get("format", "csv").trim().toLowerCase(Locale.ROOT),
                p.find("jsonpaths").map(x -> PropertyDef.parseJsonPaths(x.value())).orElse(null),
                p.find("json_root").map(x -> x.value().trim()).orElse(null),
                bool(p, "strip_outer_array"),
                lng(p, "max_batch_interval", 10),
                lng(p, "max_batch_rows", 200_000),
                lng(p, "max_batch_size", 104_857_600),
                lng(p, "max_error_number", 0),
                Double.parseDouble(p.get("max_filter_ratio", "1.0").trim()),
                bool(p, "strict_mode"),
                tz == null ? ZoneId.of("UTC") : PropertyDef.parseZone(tz),
                (int) lng(p, "desired_concurrent_number", 3),
                p.get("enclose", null),
                p.get("escape", null),
                bool(p, "trim_space"),
                bool(p, "partial_update"),
                p.asMap());
    }

    private static boolean bool(PropertyList p, String key) {
        return p.get(key, "false").trim().equalsIgnoreCase("true");
    }

    private static long lng(PropertyList p, String key, long dflt) {
        String v = p.get(key, null);
        return v == null ? dflt : Long.parseLong(v.trim());
    }
}
