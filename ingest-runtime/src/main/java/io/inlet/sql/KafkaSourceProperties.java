package io.inlet.sql;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed view of FROM KAFKA (...). {@code partitions} is empty when all partitions are consumed;
 * {@code offsets} has one entry per partition (OFFSET_BEGINNING, OFFSET_END, a number or a time
 * 'yyyy-MM-dd HH:mm:ss') or is empty. {@code clientProperties} holds every {@code property.*} key without the
 * prefix (lower case) except kafka_default_offsets; {@code awsProperties} every {@code aws.*} key. Other keys
 * (e.g. confluent.schema.registry.url) are read from the property list. Values include secrets: mask them
 * with {@link KafkaPropertyDefs#mask} before display.
 */
public record KafkaSourceProperties(String brokerList, String topic, List<Integer> partitions, List<String> offsets,
                                    String defaultOffsets, Map<String, String> clientProperties,
                                    Map<String, String> awsProperties) {

    /** Validates {@code p} (as CREATE does) and reads it; throws {@link StatementException} when invalid. */
    public static KafkaSourceProperties from(PropertyList p) {
        PropertyValidation.validateSource("KAFKA", p, false, 1, 1);
        Map<String, String> client = new LinkedHashMap<>();
        Map<String, String> aws = new LinkedHashMap<>();
        for (Property prop : p.items()) {
            String k = prop.normalizedKey();
            if (k.startsWith("property.") && !k.equals(KafkaPropertyDefs.DEFAULT_OFFSETS)) {
                client.put(k.substring("property.".length()), prop.value());
            } else if (k.startsWith("aws.")) {
                aws.put(k, prop.value());
            }
        }
        String brokers = p.get(KafkaPropertyDefs.BROKER_LIST, null);
        return new KafkaSourceProperties(
                brokers == null ? null : String.join(",", Arrays.stream(brokers.split(",")).map(String::trim).toList()),
                p.get(KafkaPropertyDefs.TOPIC, "").trim(),
                p.find(KafkaPropertyDefs.PARTITIONS).map(x -> KafkaPropertyDefs.parsePartitions(x.value()))
                        .orElse(List.of()),
                p.find(KafkaPropertyDefs.OFFSETS).map(x -> Arrays.stream(x.value().split(","))
                        .map(KafkaPropertyDefs::normalizeOffset).toList()).orElse(List.of()),
                KafkaPropertyDefs.normalizeOffset(p.get(KafkaPropertyDefs.DEFAULT_OFFSETS, KafkaPropertyDefs.OFFSET_END)),
                Collections.unmodifiableMap(client),
                Collections.unmodifiableMap(aws));
    }
}
