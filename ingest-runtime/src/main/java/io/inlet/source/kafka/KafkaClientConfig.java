package io.inlet.source.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns the {@code property.*} entries of FROM KAFKA into Java client configuration. Entries
 * that only steer Routine Load itself are not client configuration.
 */
public final class KafkaClientConfig {

    private static final Set<String> ROUTINE_LOAD_ONLY = Set.of("kafka_default_offsets", "group.id");

    private KafkaClientConfig() {}

    public static Map<String, Object> translate(Map<String, String> clientProperties) {
        Map<String, Object> out = new HashMap<>();
        clientProperties.forEach((k, v) -> {
            if (!ROUTINE_LOAD_ONLY.contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
