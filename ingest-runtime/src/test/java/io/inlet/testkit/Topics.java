package io.inlet.testkit;

import io.inlet.demo.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.TreeMap;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import java.util.Map;

/** Produces test messages, spread over a topic's partitions in turn. */
public final class Topics {

    private Topics() {}

    /** The next offset of each partition of {@code topic}. */
    public static Map<Integer, Long> endOffsets(EmbeddedKafkaBroker broker, String topic) {
        try (Admin admin = broker.admin()) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<Integer, Long> out = new TreeMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> out.put(tp.partition(), info.offset()));
            return out;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("reading the end offsets of " + topic + " failed", e);
        }
    }

    public static void produce(EmbeddedKafkaBroker broker, String topic, int partitions, List<String> messages) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024,
                // one request at a time: a retry after a slow answer cannot be overtaken (OutOfOrderSequence)
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000), new ByteArraySerializer(), new ByteArraySerializer())) {
            int i = 0;
            List<Future<RecordMetadata>> sent = new ArrayList<>(messages.size());
            for (String m : messages) {
                sent.add(producer.send(new ProducerRecord<>(topic, i++ % partitions, null, m.getBytes(StandardCharsets.UTF_8))));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                try {
                    f.get();
                } catch (InterruptedException | ExecutionException e) {
                    throw new IllegalStateException("producing the test messages to " + topic + " failed", e);
                }
            }
        }
    }

    /** Produces records as given (keys, headers, timestamps, partitions), waiting until each is acknowledged. */
    public static void send(EmbeddedKafkaBroker broker, List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000), new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            for (ProducerRecord<byte[], byte[]> r : records) {
                sent.add(producer.send(r));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                try {
                    f.get();
                } catch (InterruptedException | ExecutionException e) {
                    throw new IllegalStateException("producing the test records failed", e);
                }
            }
        }
    }
}
