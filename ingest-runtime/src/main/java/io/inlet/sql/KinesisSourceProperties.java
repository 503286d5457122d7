package io.inlet.sql;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed view of FROM KINESIS (...): the stream, the shards to read (empty: all) with one starting position
 * each (TRIM_HORIZON, LATEST, a sequence number or a time), the default position, {@code property.*} client
 * settings without the prefix and the {@code aws.*} keys.
 */
public record KinesisSourceProperties(String stream, List<String> shards, List<String> positions,
                                      String defaultPosition, Map<String, String> clientProperties,
                                      Map<String, String> awsProperties) {

    public static KinesisSourceProperties from(PropertyList p) {
        PropertyValidation.validateSource("KINESIS", p, false, 1, 1);
        Map<String, String> client = new LinkedHashMap<>();
        Map<String, String> aws = new LinkedHashMap<>();
        for (Property prop : p.items()) {
            String k = prop.normalizedKey();
            if (k.startsWith("property.")) {
                client.put(k.substring("property.".length()), prop.value());
            } else if (k.startsWith("aws.")) {
                aws.put(k, prop.value());
            }
        }
        return new KinesisSourceProperties(
                p.get(KinesisPropertyDefs.STREAM, "").trim(),
                p.find(KinesisPropertyDefs.SHARDS).map(x -> Arrays.stream(x.value().split(",")).map(String::trim)
                        .toList()).orElse(List.of()),
                p.find(KinesisPropertyDefs.POSITIONS).map(x -> Arrays.stream(x.value().split(","))
                        .map(KinesisSourceProperties::normalize).toList()).orElse(List.of()),
                normalize(p.get(KinesisPropertyDefs.DEFAULT_POSITION, KinesisPropertyDefs.LATEST)),
                Collections.unmodifiableMap(client),
                Collections.unmodifiableMap(aws));
    }

    private static String normalize(String v) {
        String t = v.trim();
        String u = t.toUpperCase(Locale.ROOT);
        return u.equals(KinesisPropertyDefs.TRIM_HORIZON) || u.equals(KinesisPropertyDefs.LATEST) ? u : t;
    }
}
