package io.inlet.sql;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed view of FROM KINESIS (...), aliases resolved: the stream (name or ARN) and its region (given, or the
 * ARN's), the shards to read (empty: all) with one starting position each (TRIM_HORIZON, LATEST, a sequence
 * number or a time), the default position, the endpoint override, {@code property.*} client settings without the
 * prefix and the {@code aws.*} keys under their canonical names. {@link #toString()} masks secrets.
 */
public record KinesisSourceProperties(String stream, List<String> shards, List<String> positions,
                                      String defaultPosition, Map<String, String> clientProperties,
                                      Map<String, String> awsProperties, String region, String endpoint) {

    public static KinesisSourceProperties from(PropertyList p) {
        PropertyValidation.validateSource("KINESIS", p, false, 1, 1);
        Map<String, String> client = new LinkedHashMap<>();
        Map<String, String> aws = new LinkedHashMap<>();
        for (Property prop : p.items()) {
            String k = KinesisPropertyDefs.canonical(prop.key());
            if (k.equals(KinesisPropertyDefs.DEFAULT_POSITION)) {
                continue;
            }
            if (k.startsWith("property.")) {
                client.put(k.substring("property.".length()), prop.value());
            } else if (k.startsWith("aws.")) {
                aws.put(k, prop.value());
            }
        }
        String stream = value(p, KinesisPropertyDefs.STREAM, "");
        String region = value(p, KinesisPropertyDefs.REGION, KinesisPropertyDefs.arnRegion(stream));
        return new KinesisSourceProperties(stream,
                list(p, KinesisPropertyDefs.SHARDS).stream().toList(),
                list(p, KinesisPropertyDefs.POSITIONS).stream().map(KinesisSourceProperties::normalize).toList(),
                normalize(value(p, KinesisPropertyDefs.DEFAULT_POSITION, KinesisPropertyDefs.LATEST)),
                Collections.unmodifiableMap(client),
                Collections.unmodifiableMap(aws),
                region,
                value(p, KinesisPropertyDefs.ENDPOINT, null));
    }

    private static String value(PropertyList p, String key, String dflt) {
        return KinesisPropertyDefs.findAny(p, key).map(x -> x.value().trim()).orElse(dflt);
    }

    private static List<String> list(PropertyList p, String key) {
        String v = value(p, key, null);
        return v == null ? List.of() : Arrays.stream(v.split(",")).map(String::trim).toList();
    }

    private static String normalize(String v) {
        String t = v.trim();
        String u = t.toUpperCase(Locale.ROOT);
        return u.equals(KinesisPropertyDefs.TRIM_HORIZON) || u.equals(KinesisPropertyDefs.LATEST) ? u : t;
    }

    /** The starting position given for each shard of {@link #shards()}, in order. */
    public Map<String, String> shardPositions() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < shards.size(); i++) {
            m.put(shards.get(i), i < positions.size() ? positions.get(i) : defaultPosition);
        }
        return Collections.unmodifiableMap(m);
    }

    /** As the record would print, with secret {@code aws.*} and {@code property.*} values as {@code ******}. */
    @Override
    public String toString() {
        Map<String, String> shownAws = new LinkedHashMap<>();
        awsProperties.forEach((k, v) -> shownAws.put(k, KafkaPropertyDefs.mask(k, v)));
        Map<String, String> shownClient = new LinkedHashMap<>();
        clientProperties.forEach((k, v) -> shownClient.put(k, KafkaPropertyDefs.mask(k, v)));
        return "KinesisSourceProperties[stream=" + stream + ", region=" + region + ", endpoint=" + endpoint
                + ", shards=" + shards + ", positions=" + positions + ", defaultPosition=" + defaultPosition
                + ", clientProperties=" + shownClient + ", awsProperties=" + shownAws + "]";
    }
}
