package io.inlet.source.kafka;

import io.inlet.sql.KafkaSourceProperties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A job's Kafka topic: which partitions it reads, where each starts, and consumers positioned
 * there. Positions are Inlet's own (committed with the data); the consumer group only mirrors
 * them so that lag tools work.
 */
public final class KafkaSource {

    public static final String OFFSET_BEGINNING = "OFFSET_BEGINNING";
    public static final String OFFSET_END = "OFFSET_END";
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final KafkaSourceProperties properties;
    private final String groupId;
    private final ZoneId timezone;

    public KafkaSource(KafkaSourceProperties properties, String groupId, ZoneId timezone) {
        this.properties = properties;
        this.groupId = properties.clientProperties().getOrDefault("group.id", groupId);
        this.timezone = timezone;
    }

    public String topic() {
        return properties.topic();
    }

    public String groupId() {
        return groupId;
    }

    public Map<String, Object> consumerConfig(String clientIdSuffix) {
        Map<String, Object> config = new HashMap<>(KafkaClientConfig.translate(properties.clientProperties()));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.brokerList());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "inlet-" + groupId + "-" + clientIdSuffix);
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
        config.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        config.putIfAbsent(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 1024 * 1024);
        config.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        config.putIfAbsent(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        return config;
    }

    public KafkaConsumer<byte[], byte[]> newConsumer(String clientIdSuffix) {
        return new KafkaConsumer<>(consumerConfig(clientIdSuffix), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The partitions the job reads: {@code kafka_partitions}, or every partition of the topic. */
    public List<Integer> partitions(KafkaConsumer<?, ?> consumer) throws SourceException {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(properties.topic(), Duration.ofSeconds(15));
        } catch (RuntimeException e) {
            throw KafkaErrors.describe("failed to get partition meta of topic " + properties.topic(), e);
        }
        if (infos == null || infos.isEmpty()) {
            throw new SourceException("no partition in this topic: topic '" + properties.topic()
                    + "' does not exist or has no partitions; check kafka_topic and kafka_broker_list");
        }
        List<Integer> all = infos.stream().map(PartitionInfo::partition).sorted().toList();
        if (properties.partitions().isEmpty()) {
            return all;
        }
        for (Integer p : properties.partitions()) {
            if (!all.contains(p)) {
                throw new SourceException("partition " + p + " of kafka_partitions does not exist in topic '"
                        + properties.topic() + "' (it has " + all.size() + " partitions)");
            }
        }
        return List.copyOf(properties.partitions());
    }

    /**
     * Where each partition starts when the job has no committed position for it: its entry in
     * {@code kafka_offsets}, else {@code property.kafka_default_offsets}.
     */
    public Map<Integer, Long> initialOffsets(KafkaConsumer<?, ?> consumer, Collection<Integer> partitions)
            throws SourceException {
        Map<Integer, Long> result = new HashMap<>();
        Map<TopicPartition, Long> byTime = new HashMap<>();
        List<TopicPartition> beginning = new ArrayList<>();
        List<TopicPartition> end = new ArrayList<>();
        for (Integer p : partitions) {
            String spec = properties.defaultOffsets();
            int i = properties.partitions().indexOf(p);
            if (i >= 0 && i < properties.offsets().size()) {
                spec = properties.offsets().get(i);
            }
            TopicPartition tp = new TopicPartition(properties.topic(), p);
            if (spec == null || spec.equalsIgnoreCase(OFFSET_END)) {
                end.add(tp);
            } else if (spec.equalsIgnoreCase(OFFSET_BEGINNING)) {
                beginning.add(tp);
            } else if (spec.matches("\\d+")) {
                result.put(p, Long.parseLong(spec));
            } else {
                long millis = LocalDateTime.parse(spec.trim(), DATETIME).atZone(timezone).toInstant().toEpochMilli();
                byTime.put(tp, millis);
            }
        }
        try {
            if (!beginning.isEmpty()) {
                consumer.beginningOffsets(beginning).forEach((tp, o) -> result.put(tp.partition(), o));
            }
            if (!end.isEmpty()) {
                consumer.endOffsets(end).forEach((tp, o) -> result.put(tp.partition(), o));
            }
            if (!byTime.isEmpty()) {
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(byTime);
                Map<TopicPartition, Long> ends = consumer.endOffsets(byTime.keySet());
                for (TopicPartition tp : byTime.keySet()) {
                    OffsetAndTimestamp o = found.get(tp);
                    result.put(tp.partition(), o != null ? o.offset() : ends.get(tp));
                }
            }
        } catch (RuntimeException e) {
            throw KafkaErrors.describe("failed to get the offsets of topic " + properties.topic(), e);
        }
        return result;
    }

    /** The newest offset of each partition (the offset the next produced message will get). */
    public Map<Integer, Long> latestOffsets(KafkaConsumer<?, ?> consumer, Collection<Integer> partitions) {
        Map<Integer, Long> out = new HashMap<>();
        List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(properties.topic(), p)).toList();
        consumer.endOffsets(tps, Duration.ofSeconds(10)).forEach((tp, o) -> out.put(tp.partition(), o));
        return out;
    }
}
